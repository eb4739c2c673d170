#include "scxfarm/protocol/messages.h"

#include <gtest/gtest.h>

namespace scxfarm::protocol {
namespace {

TEST(Protocol, PlanRoundTripsThroughARunMessage) {
  ScenarioPlan plan;
  plan.name = "smoke";
  plan.seed = 42;
  CgroupSpec a{"A", 200, true, {{"-B", "0"}}, {{"A1-cpu", WorkloadKind::kStressNg, {"--cpu", "2"}}},
               {}};
  plan.cgroups.push_back(a);
  plan.churn.push_back({ChurnKind::kWeightSwap, {"A", "B"}, 500});
  auto line = encode(RunRequest{plan});
  auto env = decode_line(line);
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->type, "run");
  auto back = env->body.get<RunRequest>().plan;
  EXPECT_EQ(back.name, "smoke");
  EXPECT_EQ(back.seed, 42u);
  ASSERT_EQ(back.cgroups.size(), 1u);
  EXPECT_EQ(back.cgroups[0].weight, 200u);
  EXPECT_EQ(back.cgroups[0].scheduler.qmap_args, (std::vector<std::string>{"-B", "0"}));
  EXPECT_EQ(back.churn[0].targets[1], "B");
}

TEST(Protocol, MissingFieldsTakeDefaults) {
  auto env = decode_line(R"({"type":"run","plan":{"name":"x"}})");
  ASSERT_TRUE(env);
  auto plan = env->body.get<RunRequest>().plan;
  EXPECT_EQ(plan.duration_ms, 30000u);
  EXPECT_EQ(plan.sample_interval_ms, 250u);
}

TEST(Protocol, GarbageIsRejected) {
  EXPECT_FALSE(decode_line("not json"));
  EXPECT_FALSE(decode_line("[1,2]"));
  EXPECT_FALSE(decode_line(R"({"no_type":1})"));
}

TEST(Protocol, LineBufferSplitsArbitraryChunks) {
  LineBuffer buf;
  std::string stream = encode(Log{"info", "a"}) + "\n" + encode(Log{"warn", "b"}) + "\r\n";
  for (char c : stream) buf.feed(&c, 1);
  auto first = buf.next();
  auto second = buf.next();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(decode_line(*first)->body.get<Log>().text, "a");
  EXPECT_EQ(decode_line(*second)->body.get<Log>().level, "warn");
  EXPECT_FALSE(buf.next());
}

TEST(Protocol, ChurnOpsListTheirTargets) {
  const ChurnOp swap{500, ChurnKind::kWeightSwap, {"A", "B/B1"}, "A=100 B/B1=200"};
  const auto line = encode(swap);
  EXPECT_NE(line.find(R"("targets":["A","B/B1"])"), std::string::npos) << line;
  EXPECT_EQ(line.find("cpu"), std::string::npos) << line;  // only hotplug ops name a cpu
  const auto back = decode_line(line)->body.get<ChurnOp>();
  EXPECT_EQ(back.targets, swap.targets);
  EXPECT_EQ(back.cpu, -1);
  ChurnOp hotplug{600, ChurnKind::kHotplug};
  hotplug.cpu = 3;
  EXPECT_EQ(decode_line(encode(hotplug))->body.get<ChurnOp>().cpu, 3);
}

// Streams recorded up to protocol 2 (harness/runner/tests/testdata/streams)
// comma-joined the targets into "target".
TEST(Protocol, ChurnOpsOfProtocol2StillDecode) {
  auto op = decode_line(R"({"type":"churn","t_ms":9,"kind":"migrate","target":"A,B/B1","ok":true})")
                ->body.get<ChurnOp>();
  EXPECT_EQ(op.targets, (std::vector<std::string>{"A", "B/B1"}));
  EXPECT_EQ(op.cpu, -1);
  op = decode_line(R"({"type":"churn","kind":"hotplug","target":"cpu5","detail":"cpu5 offline"})")
           ->body.get<ChurnOp>();
  EXPECT_TRUE(op.targets.empty());
  EXPECT_EQ(op.cpu, 5);
}

TEST(Protocol, SchedulerPathsAreTreePositions) {
  EXPECT_EQ(scheduler_path(""), "root");
  EXPECT_EQ(scheduler_path("A/A1"), "root/A/A1");
}

}  // namespace
}  // namespace scxfarm::protocol
