// The delegation checks on real streams: each file under
// testdata/streams/ is a trimmed samples.jsonl (trim_stream.py) recorded
// from a passing run of the scenario of the same name on the default 7.3
// kernel. Replayed as recorded, every check holds; with one violation
// injected into the stream, the check that guards it fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#include "recorded_streams.h"

namespace scxfarm::runner {
namespace {

using nlohmann::json;
using recorded::all;
using recorded::load_stream;

recorded::Replay replay(const std::string& scenario, const std::vector<json>& stream) {
  auto r = recorded::replay(scenario, stream);
  EXPECT_TRUE(r.scenario.ok()) << r.scenario.error().message;
  return r;
}

// Clean replay passes; MUTATE applied to a copy makes a failure containing WANT.
void expect_clean_then_caught(const std::string& scenario,
                              const std::function<void(std::vector<json>&)>& mutate,
                              const std::string& want) {
  auto stream = load_stream(scenario);
  ASSERT_FALSE(stream.empty()) << scenario << ": no recorded stream";
  auto clean = replay(scenario, stream);
  EXPECT_TRUE(clean.failures.empty()) << scenario << ":\n" << all(clean.failures);
  mutate(stream);
  auto bad = replay(scenario, stream);
  bool found = false;
  for (const auto& f : bad.failures) found |= f.text.find(want) != std::string::npos;
  EXPECT_TRUE(found) << scenario << ": wanted '" << want << "', got:\n" << all(bad.failures);
}

// Mutations.
json* last_sample(std::vector<json>& s) {
  for (auto it = s.rbegin(); it != s.rend(); ++it)
    if ((*it)["type"] == "sample") return &*it;
  return nullptr;
}

void set_caps(std::vector<json>& s, const std::string& path, const std::string& caps) {
  for (auto& st : (*last_sample(s))["schedulers"])
    if (st["path"] == path) st["caps"] = caps;
}

void freeze_thread(std::vector<json>& s, const std::string& workload) {
  int tid = 0;
  for (auto& m : s) {
    if (m["type"] != "sample") continue;
    for (auto& t : m["tasks"]) {
      if (t["workload"] != workload) continue;
      if (!tid) tid = t["tid"];
      if (t["tid"] == tid) {
        t["state"] = "R";
        t["run_ns"] = 12345;
      }
    }
  }
}

TEST(RecordedStream, WeightChurnPartitionMatchesCapsAfterSettling) {
  expect_clean_then_caught(
      "weight-churn",
      [](auto& s) { set_caps(s, "root/A", "enq_immed: 0\nenq: 0\npreempt: 0\nperf: 0\n"); },
      "partition: root gives root/A");
}

// What a protocol-2 agent adds at the end of its run phase: its schedule
// (weight-churn: 600 swaps and 240 randoms in 15 s - 3 s settle), with the
// ops it APPLIED per kind as the stream shows them and FOLDED ones.
void add_run_phase_report(std::vector<json>& s, uint64_t folded_per_kind, int64_t applied_delta) {
  std::map<std::string, uint64_t> applied;
  uint64_t samples = 0;
  for (const auto& m : s) {
    if (m["type"] == "churn" && m.value("stage", "") != "begin") ++applied[m["kind"]];
    if (m["type"] == "sample") ++samples;
  }
  s.front()["protocol_version"] = 2;
  json report = {{"type", "run_phase"}, {"duration_ms", 15000}, {"samples_taken", samples}};
  for (const auto& [kind, scheduled] :
       {std::pair<std::string, uint64_t>{"weight-swap", 600}, {"weight-random", 240}})
    report["churn"][kind] = {{"scheduled", scheduled},
                             {"applied", static_cast<int64_t>(applied[kind]) + applied_delta},
                             {"folded", folded_per_kind}};
  s.insert(s.end() - 1, report);
}

TEST(RecordedStream, WeightChurnCountsOps) {
  // The agent stopped churning early: its report accounts for fewer ops than
  // it scheduled (no rate floor needed to see it).
  expect_clean_then_caught(
      "weight-churn", [](auto& s) { add_run_phase_report(s, 0, 0); },
      "churn: weight-swap: 600 ops scheduled but");
  // Ops the agent did never reached the host.
  expect_clean_then_caught(
      "weight-churn",
      [](auto& s) {
        add_run_phase_report(s, 0, 0);
        std::erase_if(s, [n = 0](const json& m) mutable {
          return m["type"] == "churn" && m["kind"] == "weight-swap" && ++n > 100;
        });
      },
      "churn: weight-swap: the agent did");
}

TEST(RecordedStream, WeightChurnLiveness) {
  expect_clean_then_caught(
      "weight-churn", [](auto& s) { freeze_thread(s, "A-cpu"); },
      "liveness: a thread of workload A-cpu stayed runnable");
}

TEST(RecordedStream, WeightChurnCountersNeverGoBackwards) {
  expect_clean_then_caught(
      "weight-churn",
      [](auto& s) {
        int seen = 0;
        for (auto& m : s) {
          if (m["type"] != "sample" || ++seen != 20) continue;
          for (auto& st : m["schedulers"])
            if (st["path"] == "root/A") st["events"] = "SCX_EV_SUB_RESCUE 999999\n";
        }
      },
      "invariant violations");
}

TEST(RecordedStream, MigrateChurnLivenessAndFailedOps) {
  expect_clean_then_caught(
      "migrate-churn", [](auto& s) { freeze_thread(s, "B-cpu"); },
      "liveness: a thread of workload B-cpu");
  expect_clean_then_caught(
      "migrate-churn",
      [](auto& s) {
        for (auto& m : s) {
          if (m["type"] != "churn") continue;
          m["ok"] = false;
          m["error"] = "write cgroup.procs: No such process";
          break;
        }
      },
      "churn: 1 operations failed");
}

// Zeroes the reenq-cap count of the Nth hier summary line of PATH that
// carries injection attempts: the kernel "accepted" those inserts.
void drop_bounces(std::vector<json>& s, const std::string& path, int nth) {
  int seen = 0;
  for (auto& m : s) {
    if (m["type"] != "scheduler_output" || m["path"] != path) continue;
    std::string line = m["line"];
    const auto cap = line.find("reenq cap/immed +");
    if (cap == std::string::npos || line.find("inj=+0 ") != std::string::npos) continue;
    if (++seen != nth) continue;
    const size_t start = cap + 17;  // after "reenq cap/immed +"
    m["line"] = line.substr(0, start) + "0" + line.substr(line.find('/', start));
  }
}

TEST(RecordedStream, WrongCidBounceEveryAttemptBounces) {
  expect_clean_then_caught(
      "wrong-cid-bounce", [](auto& s) { drop_bounces(s, "root/A", 3); },
      "injection attempts never came back as reenq-cap bounces");
  expect_clean_then_caught(
      "wrong-cid-bounce",
      [](auto& s) {
        json exit = {{"type", "scheduler_exited"},
                     {"path", "root/A"},
                     {"t_ms", 15000},
                     {"expected", false},
                     {"exit_code", 0},
                     {"cause", ""},
                     {"last_output", "EXIT: runtime error (invalid cid)"}};
        s.insert(s.end() - 3, exit);
      },
      "injection: root/A was disabled: EXIT: runtime error (invalid cid)");
}

TEST(RecordedStream, WrongCidRescueIsCountedByTheKernel) {
  expect_clean_then_caught(
      "wrong-cid-rescue",
      [](auto& s) {
        for (auto& m : s) {
          if (m["type"] != "sample") continue;
          for (auto& st : m["schedulers"]) st["events"] = "SCX_EV_SUB_RESCUE 0\n";
        }
      },
      "SCX_EV_SUB_RESCUE grew by 0");
}

TEST(RecordedStream, ImmedStressUnexpectedExitAndCapsOutsideTheParent) {
  expect_clean_then_caught(
      "immed-stress",
      [](auto& s) {
        json exit = {{"type", "scheduler_exited"},
                     {"path", "root/B"},
                     {"t_ms", 12000},
                     {"expected", false},
                     {"exit_code", 0},
                     {"cause", ""},
                     {"last_output", "EXIT: runtime error (IMMED insert to a busy cid)"}};
        s.insert(s.end() - 3, exit);
      },
      "scheduler root/B exited (unexpectedly) and expect.exits does not declare it");
  expect_clean_then_caught(
      "immed-stress",
      [](auto& s) {
        for (auto& st : (*last_sample(s))["schedulers"])
          if (st["path"] == "root") st["caps"] = "enq_immed: 0\nenq: 0\npreempt: 0\nperf: 0\n";
      },
      "invariant violations");
}

TEST(RecordedStream, LatencyProbeLiveness) {
  expect_clean_then_caught(
      "latency-under-delegation", [](auto& s) { freeze_thread(s, "probe"); },
      "liveness: a thread of workload probe");
  expect_clean_then_caught(
      "latency-baseline", [](auto& s) { freeze_thread(s, "A-cpu"); },
      "liveness: a thread of workload A-cpu");
}

TEST(RecordedStream, NestedBasicPartitionAtDepthThree) {
  // A1's qmap gave A1a cids its sysfs enq cap does not show.
  expect_clean_then_caught(
      "nested-basic",
      [](auto& s) { set_caps(s, "root/A/A1/A1a", "enq_immed: 1\nenq: 1\npreempt: 1\nperf: 1\n"); },
      "partition: root/A/A1 gives root/A/A1/A1a");
  expect_clean_then_caught(
      "nested-basic",
      [](auto& s) {
        for (auto& st : (*last_sample(s))["schedulers"])
          if (st["path"] == "root/A/A1/A1a")
            st["caps"] = "enq_immed: 0-7\nenq: 0-7\npreempt: 0-7\nperf: 0-7\n";
      },
      "invariant violations");
}

TEST(RecordedStream, DeepChainEveryLevelAttaches) {
  expect_clean_then_caught(
      "deep-chain",
      [](auto& s) {
        std::erase_if(s, [](const json& m) {
          return m["type"] == "scheduler_attached" && m["path"] == "root/L1/L2/L3";
        });
      },
      "scheduler root/L1/L2/L3 never attached");
  expect_clean_then_caught(
      "deep-chain",
      [](auto& s) {
        json exit = {{"type", "scheduler_exited"},
                     {"path", "root/L1/L2/L3"},
                     {"t_ms", 20000},
                     {"expected", false},
                     {"exit_code", 0},
                     {"cause", ""},
                     {"last_output", "EXIT: runtime error (max nesting depth 4 violated)"}};
        s.insert(s.end() - 3, exit);
      },
      "max nesting depth 4 violated");
}

TEST(RecordedStream, SubtreeKillDeclaredExitsMustHappenAndNoOthers) {
  expect_clean_then_caught(
      "subtree-kill",
      [](auto& s) {
        std::erase_if(s, [](const json& m) {
          return m["type"] == "scheduler_exited" && m["path"] == "root/A/A1";
        });
      },
      "expected exit of root/A/A1 (expect.exits) never happened");
  expect_clean_then_caught(
      "subtree-kill",
      [](auto& s) {
        for (auto& m : s) {
          if (m["type"] != "scheduler_exited" || m["path"] != "root/B") continue;
          m["cause"] = "subtree-kill";  // B evicted too: not declared
          m["t_ms"] = 19000;
        }
        // ... and before teardown.
        auto exit = std::find_if(s.begin(), s.end(), [](const json& m) {
          return m["type"] == "scheduler_exited" && m["path"] == "root/B";
        });
        json moved = *exit;
        s.erase(exit);
        auto end = std::find_if(s.begin(), s.end(), [](const json& m) {
          return m["type"] == "churn" && m.value("stage", "") == "end";
        });
        s.insert(end + 1, moved);
      },
      "scheduler root/B exited (subtree-kill) and expect.exits does not declare it");
}

TEST(RecordedStream, SubtreeKillParentStopsListingTheChild) {
  auto clean = replay("subtree-kill", load_stream("subtree-kill"));
  EXPECT_EQ(clean.summary.delegation.evictions_confirmed, 1u);
  expect_clean_then_caught(
      "subtree-kill",
      [](auto& s) {
        // The root keeps listing A (cgroup 28) after the kill.
        const auto end = std::find_if(s.begin(), s.end(), [](const json& m) {
          return m["type"] == "churn" && m.value("stage", "") == "end";
        });
        const uint64_t t_end = (*end)["t_ms"];
        for (auto it = end; it != s.end(); ++it) {
          auto& m = *it;
          if (m["type"] == "scheduler_output" && m["path"] == "root" && m["t_ms"] > t_end &&
              std::string(m["line"]).rfind("hier   : self", 0) == 0) {
            json row = m;
            row["line"] = "hier   : sub0         28  600   4.00      3.0  2-5";
            s.insert(it + 1, row);
            break;
          }
        }
        for (auto it = end; it != s.end(); ++it) {  // and the next interval too
          auto& m = *it;
          if (m["type"] == "scheduler_output" && m["path"] == "root" && m["t_ms"] > t_end + 1500 &&
              std::string(m["line"]).rfind("hier   : self", 0) == 0) {
            json row = m;
            row["line"] = "hier   : sub0         28  600   4.00      3.0  2-5";
            s.insert(it + 1, row);
            break;
          }
        }
      },
      "subtree-kill: root still lists root/A (cgroup 28)");
}

// Hotplug under qmap: 7.3 disables the root (qmap restarts it in-process),
// A and B exit with "parent exiting" (see the scenario). The host records
// each exit with the kernel's reason; the scenario declares exactly those,
// so the recorded run passes.
TEST(RecordedStream, HotplugTeardownIsTheDeclaredOne) {
  auto r = replay("hotplug-churn", load_stream("hotplug-churn"));
  EXPECT_TRUE(r.failures.empty()) << all(r.failures);
  EXPECT_EQ(r.summary.invariant_violations, 0u) << r.summary.violation_examples.front();
  const auto& d = r.summary.delegation;
  EXPECT_EQ(d.exit_causes,
            (std::map<std::string, std::string>{{"root", ""}, {"root/A", ""}, {"root/B", ""}}));
  EXPECT_EQ(d.exit_reasons,
            (std::map<std::string, std::vector<std::string>>{
                {"root",
                 {"unregistered from the main kernel (cpu 6 going offline, exiting scheduler) on "
                  "CPU 6",
                  "unregistered from the main kernel (expected hotplug seq 10 did not match "
                  "actual 17) on CPU 5"}},
                {"root/A", {"parent exiting"}},
                {"root/B", {"parent exiting"}}}));
  EXPECT_EQ(r.summary.churn_ops_by_kind.at("hotplug"), 10u);
}

}  // namespace
}  // namespace scxfarm::runner
