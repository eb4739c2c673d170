// The saved real stream (tests/testdata/smoke-stream.jsonl, from a TCG boot
// of the smoke plan) decodes into the protocol structs and tells the story
// the agent promises: 4 attaches with nested sysfs dirs, samples with caps
// that move with the weight swaps, churn, clean exits, a pass.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "scxfarm/protocol/contract.h"
#include "scxfarm/protocol/messages.h"
#include "scxfarm/telemetry/invariants.h"

namespace scxfarm::agent {
namespace {

std::vector<protocol::Envelope> load_stream() {
  std::ifstream in(std::string(SCXFARM_GUEST_TESTDATA) + "/smoke-stream.jsonl");
  std::vector<protocol::Envelope> out;
  std::string line;
  while (std::getline(in, line)) {
    auto envelope = protocol::decode_line(line);
    EXPECT_TRUE(envelope.has_value()) << line;
    if (envelope) out.push_back(std::move(*envelope));
  }
  return out;
}

TEST(RealStream, SmokeRunTellsTheWholeStory) {
  const auto stream = load_stream();
  ASSERT_GT(stream.size(), 100u);
  EXPECT_EQ(stream.front().type, "hello");
  EXPECT_EQ(stream.back().type, "bye");
  const auto hello = stream.front().body.get<protocol::Hello>();
  EXPECT_EQ(hello.protocol_version, 1);  // recorded before protocol 2 (run_phase report)
  EXPECT_EQ(hello.nr_cpus, 8u);

  std::map<std::string, protocol::SchedulerAttached> attached;
  std::set<std::string> a_enq_values;
  size_t samples = 0, churn = 0, exited = 0;
  std::optional<protocol::Verdict> verdict;
  for (const auto& e : stream) {
    if (e.type == "scheduler_attached") {
      auto a = e.body.get<protocol::SchedulerAttached>();
      attached[a.path] = a;
    } else if (e.type == "sample") {
      const auto s = e.body.get<protocol::Sample>();
      ++samples;
      EXPECT_EQ(s.state, "enabled");
      EXPECT_TRUE(s.violations.empty());
      std::map<std::string, telemetry::CapMap> caps;
      for (const auto& sch : s.schedulers) {
        ASSERT_TRUE(sch.present) << sch.path;
        auto parsed = telemetry::parse_caps(sch.caps);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message;
        ASSERT_TRUE(telemetry::parse_events(sch.events).ok());
        caps[sch.path] = *parsed;
      }
      EXPECT_TRUE(telemetry::check_caps_subset(caps).empty());
      a_enq_values.insert(caps.at("root/A").at("enq").to_string());
    } else if (e.type == "churn") {
      EXPECT_TRUE(e.body.get<protocol::ChurnOp>().ok);
      ++churn;
    } else if (e.type == "scheduler_exited") {
      EXPECT_TRUE(e.body.get<protocol::SchedulerExited>().expected);
      ++exited;
    } else if (e.type == "result") {
      verdict = e.body.get<protocol::Verdict>();
    }
  }
  ASSERT_EQ(attached.size(), 4u);
  const std::string a_dir = attached.at("root/A").sysfs_dir;
  EXPECT_EQ(a_dir, "/sys/kernel/sched_ext/root/sub/sub-" +
                       std::to_string(attached.at("root/A").cgroup_id));
  EXPECT_EQ(attached.at("root/A/A1").sysfs_dir,
            a_dir + "/sub/sub-" + std::to_string(attached.at("root/A/A1").cgroup_id));
  EXPECT_GE(a_enq_values.size(), 2u);  // A's cids follow its weight
  EXPECT_GE(samples, 100u);
  EXPECT_GE(churn, 55u);
  EXPECT_EQ(exited, 4u);
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ(verdict->outcome, protocol::AgentOutcome::kPass);
  EXPECT_EQ(verdict->samples, samples);
  EXPECT_EQ(verdict->churn_ops, churn);
}

}  // namespace
}  // namespace scxfarm::agent
