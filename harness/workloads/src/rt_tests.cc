// hackbench and cyclictest from rt-tests 2.6.
#include <algorithm>
#include <map>

#include "scxfarm/workloads/parsers.h"
#include "text.h"

namespace scxfarm::workloads {

// "Running in process mode with 10 groups using 40 file descriptors each (== 400 tasks)"
// ...
// "Time: 1.513"
Result<WorkloadResult> parse_hackbench(std::string_view output) {
  WorkloadResult r{.kind = protocol::WorkloadKind::kHackbench};
  bool have_time = false;
  for (std::string_view line : detail::lines_of(output)) {
    if (line.rfind("Time:", 0) == 0) {
      auto t = detail::number_after(line, "Time:");
      if (!t) return make_error("hackbench: bad time line '" + std::string(line) + "'");
      r.set("time", *t);  // the last one wins
      have_time = true;
    } else if (line.rfind("Running in ", 0) == 0) {
      if (auto tasks = detail::number_after(line, "(=="); tasks) r.set("tasks", *tasks);
    }
  }
  if (!have_time) {
    return make_error("hackbench: no 'Time: SECONDS' line in the output (" +
                      detail::excerpt(output) + ")");
  }
  return r;
}

// "T: 0 (28140) P: 0 I:1000 C:   2933 Min:     22 Act:   82 Avg:  112 Max:    6503"
Result<WorkloadResult> parse_cyclictest(std::string_view output) {
  struct Thread {
    double cycles, min, avg, max;
  };
  std::map<int, Thread> threads;  // the last line per thread wins
  for (std::string_view line : detail::lines_of(output)) {
    if (line.rfind("T:", 0) != 0) continue;
    auto id = detail::number_after(line, "T:");
    auto cycles = detail::number_after(line, "C:");
    auto min = detail::number_after(line, "Min:");
    auto avg = detail::number_after(line, "Avg:");
    auto max = detail::number_after(line, "Max:");
    if (!id || !cycles || !min || !avg || !max) {
      return make_error("cyclictest: thread line without T:/C:/Min:/Avg:/Max: numbers: '" +
                        std::string(line) + "'");
    }
    threads[static_cast<int>(*id)] = Thread{*cycles, *min, *avg, *max};
  }
  if (threads.empty()) {
    return make_error("cyclictest: no 'T: N ... Min: Avg: Max:' thread summary in the output (" +
                      detail::excerpt(output) + ")");
  }
  WorkloadResult r{.kind = protocol::WorkloadKind::kCyclictest};
  double min = threads.begin()->second.min, max = 0, weighted = 0, cycles = 0;
  for (const auto& [id, t] : threads) {
    const std::string p = "T" + std::to_string(id) + ".";
    r.set(p + "min", t.min);
    r.set(p + "avg", t.avg);
    r.set(p + "max", t.max);
    r.set(p + "cycles", t.cycles);
    min = std::min(min, t.min);
    max = std::max(max, t.max);
    weighted += t.avg * t.cycles;
    cycles += t.cycles;
  }
  r.set("min", min);
  r.set("max", max);
  r.set("avg", cycles > 0 ? weighted / cycles : 0);
  r.set("threads", static_cast<double>(threads.size()));
  return r;
}

}  // namespace scxfarm::workloads
