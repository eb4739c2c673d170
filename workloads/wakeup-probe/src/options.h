// Command line of scxfarm-wakeup-probe. Parsing is pure (no exit, no I/O)
// so it can be unit-tested; main() prints the error and exits 2.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace scxfarm::probe {

struct ProbeOptions {
  uint32_t workers = 4;    // --workers N: worker threads, 1..1024
  double duration_s = 10;  // --duration-s S: measured time after warm-up; 0 = until SIGTERM/SIGINT
  uint64_t interval_us = 1000;  // --interval-us U: one wake-up round every U µs; 0 = back-to-back
  double warmup_s = 1;          // --warmup-s S: wake-ups not recorded at first, >= 0
};

struct ParseError {
  std::string message;  // names the option and the allowed values
};
struct ShowHelp {};

std::variant<ProbeOptions, ParseError, ShowHelp> parse_options(
    const std::vector<std::string>& args);

extern const char* const kUsage;

}  // namespace scxfarm::probe
