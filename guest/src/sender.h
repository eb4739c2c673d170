// What the agent tells the host: protocol messages onto the control port,
// and its log lines both to the console (stderr) and to the host as Log
// messages. Header-inline send<T> encodes; everything after the encoding is
// one non-template function, so any file can send any message.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "channel.h"
#include "scxfarm/protocol/messages.h"

namespace scxfarm::agent {

class Sender {
 public:
  // DEBUG: whether "debug" log lines go out at all.
  Sender(Channel& channel, bool debug);

  template <typename T>
  void send(const T& message) {
    nlohmann::json j = message;
    j["type"] = protocol::MessageType<T>::name;
    send_json(j);
  }
  // One framed message, already carrying its "type". Text that is not
  // valid UTF-8 (a child's or the kernel's) is sent with the bad bytes
  // replaced rather than lost.
  void send_json(const nlohmann::json& message);

  // LEVEL: "debug" | "info" | "warn" | "error".
  void log(const std::string& level, const std::string& text);

 private:
  Channel& channel_;
  bool debug_;
  uint64_t start_ms_;  // console timestamps count from here
};

}  // namespace scxfarm::agent
