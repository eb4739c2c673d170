#include "event_loop.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace scxfarm::agent {

uint64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1'000'000;
}

void EventLoop::add(EventSource& source) {
  sources_.push_back(&source);
}

void EventLoop::remove(EventSource& source) {
  std::erase(sources_, &source);
}

int EventLoop::pump(uint64_t max_wait_ms) {
  std::vector<pollfd> fds;
  std::vector<EventSource*> polled;
  const uint64_t now = monotonic_ms();
  for (EventSource* source : sources_) {
    if (const int fd = source->fd(); fd >= 0) {
      fds.push_back({fd, source->events(), 0});
      polled.push_back(source);
    } else if (auto wake = source->wake_at_ms()) {
      max_wait_ms = std::min(max_wait_ms, *wake > now ? *wake - now : 0);
    }
  }
  const int timeout = static_cast<int>(std::min<uint64_t>(max_wait_ms, 60'000));
  const int n = ::poll(fds.data(), fds.size(), timeout);
  if (n < 0) return errno == EINTR ? 0 : errno;
  // A handler may add sources (none removes any): only the polled ones.
  for (size_t i = 0; n > 0 && i < fds.size(); ++i)
    if (fds[i].revents) polled[i]->on_ready(fds[i].revents);
  return 0;
}

ChildSignals::ChildSignals() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

ChildSignals::~ChildSignals() {
  if (fd_ >= 0) ::close(fd_);
}

void ChildSignals::on_ready(short revents) {
  if (!(revents & POLLIN)) return;
  signalfd_siginfo info;
  while (::read(fd_, &info, sizeof info) == sizeof info) {
  }
}

}  // namespace scxfarm::agent
