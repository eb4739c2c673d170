#include "sender.h"

#include <cstdio>

#include "event_loop.h"

namespace scxfarm::agent {

Sender::Sender(Channel& channel, bool debug)
    : channel_(channel), debug_(debug), start_ms_(monotonic_ms()) {}

void Sender::send_json(const nlohmann::json& message) {
  std::string line;
  try {
    line = message.dump();
  } catch (const std::exception&) {
    line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  channel_.send(std::move(line));
}

void Sender::log(const std::string& level, const std::string& text) {
  if (level == "debug" && !debug_) return;
  std::fprintf(stderr, "[scxfarm-agent %6.3f] %s: %s\n", (monotonic_ms() - start_ms_) / 1000.0,
               level.c_str(), text.c_str());
  send(protocol::Log{level, text});
}

}  // namespace scxfarm::agent
