#include "channel.h"

#include <unistd.h>

#include <cerrno>

namespace scxfarm::agent {

Channel::~Channel() {
  if (fd_ >= 0) ::close(fd_);
}

void Channel::send(std::string line) {
  if (pending_.size() + line.size() + 1 > kMaxPending) {
    ++dropped_;
    return;
  }
  pending_ += line;
  pending_ += '\n';
  flush();
}

void Channel::flush() {
  while (!pending_.empty()) {
    const ssize_t n = ::write(fd_, pending_.data(), pending_.size());
    if (n > 0) {
      connected_ = true;
      pending_.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // EAGAIN (host not connected or queue full) or an error: retry from poll
  }
}

void Channel::on_poll(short revents, uint64_t now_ms) {
  if (revents & POLLIN) {
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        connected_ = true;
        incoming_.feed(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) {  // host side not connected
        connected_ = false;
        reprobe_at_ms_ = now_ms + kReprobeMs;
      }
      break;
    }
  }
  if (revents & POLLOUT) flush();
  if ((revents & (POLLHUP | POLLERR)) && !(revents & (POLLIN | POLLOUT))) {
    connected_ = false;
    reprobe_at_ms_ = now_ms + kReprobeMs;
  }
}

void PortSource::on_ready(short revents) {
  channel_.on_poll(revents, monotonic_ms());
  while (auto line = channel_.next_incoming()) on_line_(*line);
}

std::optional<uint64_t> PortSource::wake_at_ms() const {
  if (channel_.fd() < 0) return std::nullopt;  // no port: nothing to re-probe
  return channel_.reprobe_at_ms();
}

}  // namespace scxfarm::agent
