#include "sys_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace scxfarm::agent {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

}  // namespace

Result<std::string> read_text(const std::filesystem::path& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(path.string() + ": " + errno_text(errno));
  std::string text;
  char buf[4096];
  while (text.size() < max_bytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(path.string() + ": read: " + errno_text(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

Status write_text(const std::filesystem::path& path, std::string_view content) {
  // O_TRUNC as a shell's '>' does: kernfs ignores it, plain files (tests) need it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return make_error(path.string() + ": " + errno_text(errno));
  ssize_t n;
  do {
    n = ::write(fd, content.data(), content.size());
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  ::close(fd);
  if (n < 0)
    return make_error("write '" + std::string(content) + "' to " + path.string() + ": " +
                      errno_text(err));
  if (static_cast<size_t>(n) != content.size()) {
    return make_error("short write to " + path.string());
  }
  return {};
}

AgentOptions parse_cmdline(std::string_view cmdline) {
  AgentOptions options{"", false};
  size_t pos = 0;
  while (pos < cmdline.size()) {
    const size_t end = cmdline.find_first_of(" \t\n", pos);
    const std::string_view token =
        cmdline.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? cmdline.size() : end + 1;
    const size_t eq = token.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "scxfarm.port" && !value.empty()) options.port_name = std::string(value);
    if (key == "scxfarm.debug") options.debug = value == "1" || value == "y" || value == "true";
  }
  return options;
}

Result<std::filesystem::path> find_port(const std::filesystem::path& ports_dir,
                                        const std::filesystem::path& dev_dir,
                                        const std::string& name) {
  std::error_code ec;
  std::filesystem::directory_iterator it(ports_dir, ec), end;
  if (ec) return make_error(ports_dir.string() + ": " + ec.message());
  std::string seen;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    auto port_name = read_text(it->path() / "name", 4096);
    if (!port_name) continue;
    const std::string found = trim(*port_name);
    if (found == name) return dev_dir / it->path().filename();
    seen += (seen.empty() ? "" : ", ") + it->path().filename().string() + "=" + found;
  }
  return make_error("no virtio port named " + name + " under " + ports_dir.string() +
                    (seen.empty() ? " (no ports)" : " (ports: " + seen + ")"));
}

Result<uint64_t> cgroup_id(const std::filesystem::path& cgroup_dir) {
  struct stat st {};
  if (::stat(cgroup_dir.c_str(), &st) != 0) {
    return make_error("stat " + cgroup_dir.string() + ": " + errno_text(errno));
  }
  return static_cast<uint64_t>(st.st_ino);
}

void OutputTail::append(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() > 2 * capacity_) {
    buffer_.erase(0, buffer_.size() - capacity_);
    truncated_ = true;
  }
}

std::string OutputTail::text() const {
  if (buffer_.size() <= capacity_ && !truncated_) return buffer_;
  std::string_view tail(buffer_);
  if (tail.size() > capacity_) tail.remove_prefix(tail.size() - capacity_);
  // Start at a line boundary when one is near, so the tail reads cleanly.
  const size_t nl = tail.find('\n');
  if (nl != std::string_view::npos && nl < tail.size() / 2) tail.remove_prefix(nl + 1);
  return std::string(tail);
}

}  // namespace scxfarm::agent
