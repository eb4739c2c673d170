// The agent's end of the virtio-serial control port: a non-blocking fd with
// an outgoing queue and an incoming line splitter, driven by the agent's
// poll() loop.
//
// A virtio-serial port whose host side is not connected polls as POLLHUP,
// reads return 0 and writes EAGAIN (drivers/char/virtio_console.c), and the
// driver gives no wake-up for the connection: so while disconnected the port
// leaves the poll set and is re-probed every kReprobeMs, with output queued.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "event_loop.h"
#include "scxfarm/protocol/messages.h"

namespace scxfarm::agent {

class Channel {
 public:
  static constexpr uint64_t kReprobeMs = 50;
  // Output beyond this is dropped (and counted) rather than exhausting memory
  // when the host stops reading.
  static constexpr size_t kMaxPending = 64 << 20;

  explicit Channel(int fd) : fd_(fd) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  ~Channel();

  // Queues LINE + '\n' and writes what the port takes now.
  void send(std::string line);

  // For the poll loop: whether to include the fd at NOW, with which events,
  // and the time of the next re-probe while disconnected.
  bool pollable(uint64_t now_ms) const { return fd_ >= 0 && now_ms >= reprobe_at_ms_; }
  short events() const { return static_cast<short>(POLLIN | (pending_.empty() ? 0 : POLLOUT)); }
  uint64_t reprobe_at_ms() const { return reprobe_at_ms_; }
  int fd() const { return fd_; }
  void on_poll(short revents, uint64_t now_ms);

  std::optional<std::string> next_incoming() { return incoming_.next(); }
  bool connected() const { return connected_; }
  size_t pending_bytes() const { return pending_.size(); }
  uint64_t dropped_lines() const { return dropped_; }

 private:
  void flush();

  int fd_;
  std::string pending_;
  protocol::LineBuffer incoming_;
  bool connected_ = false;
  uint64_t reprobe_at_ms_ = 0;
  uint64_t dropped_ = 0;
};

// The port in the agent's event loop: polled while pollable, asked again at
// its re-probe time while not; every complete incoming line goes to ON_LINE.
class PortSource : public EventSource {
 public:
  PortSource(Channel& channel, std::function<void(const std::string&)> on_line)
      : channel_(channel), on_line_(std::move(on_line)) {}

  int fd() const override { return channel_.pollable(monotonic_ms()) ? channel_.fd() : -1; }
  short events() const override { return channel_.events(); }
  void on_ready(short revents) override;
  std::optional<uint64_t> wake_at_ms() const override;

 private:
  Channel& channel_;
  std::function<void(const std::string&)> on_line_;
};

}  // namespace scxfarm::agent
