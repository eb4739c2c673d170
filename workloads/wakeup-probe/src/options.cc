#include "options.h"

#include <charconv>
#include <cmath>

namespace scxfarm::probe {

const char* const kUsage =
    "usage: scxfarm-wakeup-probe [--workers N] [--duration-s S] [--interval-us U] [--warmup-s S]\n"
    "  A message thread wakes N worker threads (futex) every U microseconds (0 = back-to-back:\n"
    "  the next round as soon as every worker has run); each worker records the wake-up\n"
    "  latency (CLOCK_MONOTONIC when it runs minus when it was woken).\n"
    "  --workers N      worker threads, 1..1024 (default 4)\n"
    "  --duration-s S   measured seconds after warm-up; 0 = until SIGTERM/SIGINT (default 10)\n"
    "  --interval-us U  microseconds between wake-up rounds, 0 = back-to-back (default 1000)\n"
    "  --warmup-s S     seconds of wake-ups not recorded first (default 1)\n"
    "  Prints one JSON line on stdout at the end (also on SIGTERM/SIGINT), a summary on stderr.\n";

namespace {

bool parse_u64(const std::string& s, uint64_t& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && !s.empty();
}

bool parse_seconds(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && !s.empty() && std::isfinite(out) && out >= 0 &&
         out <= 86400;
}

}  // namespace

std::variant<ProbeOptions, ParseError, ShowHelp> parse_options(
    const std::vector<std::string>& args) {
  ProbeOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") return ShowHelp{};
    std::string name = a, value;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else if (a == "--workers" || a == "--duration-s" || a == "--interval-us" ||
               a == "--warmup-s") {
      if (i + 1 >= args.size()) return ParseError{a + " needs a value"};
      value = args[++i];
    }
    if (name == "--workers") {
      uint64_t n = 0;
      if (!parse_u64(value, n) || n < 1 || n > 1024)
        return ParseError{"--workers '" + value + "': expected an integer in 1..1024"};
      o.workers = static_cast<uint32_t>(n);
    } else if (name == "--duration-s") {
      if (!parse_seconds(value, o.duration_s))
        return ParseError{"--duration-s '" + value +
                          "': expected seconds in 0..86400 (0 = until SIGTERM)"};
    } else if (name == "--interval-us") {
      if (!parse_u64(value, o.interval_us) || o.interval_us > 60'000'000)
        return ParseError{"--interval-us '" + value +
                          "': expected microseconds in 0..60000000 (0 = back-to-back)"};
    } else if (name == "--warmup-s") {
      if (!parse_seconds(value, o.warmup_s))
        return ParseError{"--warmup-s '" + value + "': expected seconds in 0..86400"};
    } else {
      return ParseError{"unknown option '" + a +
                        "'; allowed: --workers, --duration-s, --interval-us, --warmup-s, --help"};
    }
  }
  return o;
}

}  // namespace scxfarm::probe
