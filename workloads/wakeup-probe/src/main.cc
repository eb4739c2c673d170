// scxfarm-wakeup-probe: wake-up latency under the scheduler being tested,
// in the spirit of schbench (which Debian does not package). See options.cc
// for the command line and probe.h for the measurement.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "options.h"
#include "probe.h"

namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_stop_signal(int) {
  g_stop.store(true);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace scxfarm::probe;
  auto parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (std::holds_alternative<ShowHelp>(parsed)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (auto* err = std::get_if<ParseError>(&parsed)) {
    std::fprintf(stderr, "scxfarm-wakeup-probe: %s\n%s", err->message.c_str(), kUsage);
    return 2;
  }
  // SIGTERM (the farm's agent stopping workloads) and SIGINT end the run
  // early, and the results so far are still printed. No SA_RESTART: the
  // message thread's sleep returns and it sees the flag.
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  const auto& options = std::get<ProbeOptions>(parsed);
  char duration[32] = "until SIGTERM";
  if (options.duration_s > 0)
    std::snprintf(duration, sizeof duration, "%.1f s", options.duration_s);
  std::fprintf(stderr,
               "wakeup-probe: %u workers, interval %llu us%s, warm-up %.1f s, duration %s\n",
               options.workers, static_cast<unsigned long long>(options.interval_us),
               options.interval_us == 0 ? " (back-to-back)" : "", options.warmup_s, duration);
  const ProbeResult result = run_probe(options, g_stop);
  std::fputs(result_text(result).c_str(), stderr);
  std::fflush(stderr);
  std::printf("%s\n", result_json(result).c_str());
  std::fflush(stdout);
  return 0;
}
