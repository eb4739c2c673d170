// The agent's one poll() loop. Whatever the agent waits on (the SIGCHLD
// signalfd, the control port, every child's output pipe; a BPF ring buffer
// next) is an EventSource registered with the loop, so a new kind of input
// is one more registration, not another branch in the loop.
#pragma once

#include <poll.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace scxfarm::agent {

// CLOCK_MONOTONIC in ms: the agent's one clock.
uint64_t monotonic_ms();

class EventSource {
 public:
  virtual ~EventSource() = default;
  // The fd to poll now; -1 leaves the source out of this round.
  virtual int fd() const = 0;
  virtual short events() const { return POLLIN; }
  // poll() reported REVENTS (non-zero) on fd().
  virtual void on_ready(short revents) = 0;
  // When a source left out of the round wants to be asked again (monotonic
  // ms): the loop sleeps no longer than that.
  virtual std::optional<uint64_t> wake_at_ms() const { return std::nullopt; }
};

class EventLoop {
 public:
  // SOURCE stays registered (not owned) until removed.
  void add(EventSource& source);
  void remove(EventSource& source);

  // One round: poll() every registered fd for up to MAX_WAIT_MS (never past
  // a source's wake time, never over a minute), then on_ready for each
  // ready source in registration order. Returns 0, or poll()'s errno (EINTR
  // counts as a quiet round).
  int pump(uint64_t max_wait_ms);

 private:
  std::vector<EventSource*> sources_;
};

// SIGCHLD as an fd: blocks the signal and reads it through a signalfd, so
// child exits wake the loop. Reaping is the agent's (after every round, as
// signals coalesce).
class ChildSignals : public EventSource {
 public:
  ChildSignals();
  ~ChildSignals() override;
  ChildSignals(const ChildSignals&) = delete;
  ChildSignals& operator=(const ChildSignals&) = delete;

  int fd() const override { return fd_; }
  void on_ready(short revents) override;

 private:
  int fd_ = -1;
};

}  // namespace scxfarm::agent
