#include "children.h"

#include <unistd.h>

#include <cerrno>

namespace scxfarm::agent {

ChildProcess::~ChildProcess() {
  if (out_fd >= 0) ::close(out_fd);
}

void ChildProcess::drain() {
  if (out_fd < 0) return;
  char buf[16384];
  bool eof = false;
  while (true) {
    const ssize_t n = ::read(out_fd, buf, sizeof buf);
    if (n > 0) {
      tail.append(std::string_view(buf, static_cast<size_t>(n)));
      lines.feed(buf, static_cast<size_t>(n));
      while (auto line = lines.next()) on_line(*this, *line);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    eof = n == 0 || errno != EAGAIN;
    break;
  }
  if (eof) {
    lines.feed("\n", 1);  // a last line without its newline
    while (auto line = lines.next()) on_line(*this, *line);
    ::close(out_fd);
    out_fd = -1;
  }
}

}  // namespace scxfarm::agent
