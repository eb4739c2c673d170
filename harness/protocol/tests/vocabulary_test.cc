#include "scxfarm/protocol/vocabulary.h"

#include <gtest/gtest.h>

#include <set>

#include "scxfarm/protocol/messages.h"

namespace scxfarm::protocol {
namespace {

// Every value has one spelling, every spelling one value, and JSON carries
// the spelling.
template <SpelledEnum E>
void expect_one_to_one() {
  std::set<std::string_view> names;
  for (const auto& [name, value] : Spelled<E>::kNames) {
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(name_of(value), name);
    EXPECT_EQ(from_string<E>(name), value);
    EXPECT_EQ(nlohmann::json(value), std::string(name));
    EXPECT_EQ(nlohmann::json(std::string(name)).get<E>(), value);
  }
}

TEST(Vocabulary, EveryTableIsOneToOne) {
  expect_one_to_one<ChurnKind>();
  expect_one_to_one<WorkloadKind>();
  expect_one_to_one<AgentOutcome>();
  expect_one_to_one<ExitCause>();
  expect_one_to_one<ScenarioPhase>();
  expect_one_to_one<MessageKind>();
}

TEST(Vocabulary, TheWireKeepsItsStrings) {
  EXPECT_EQ(spelled_list<ChurnKind>(),
            "weight-swap, weight-random, detach-attach, subtree-kill, hotplug, migrate");
  EXPECT_EQ(spelled_list<WorkloadKind>(),
            "stress-ng, hackbench, cyclictest, command, wakeup-probe");
  EXPECT_EQ(spelled_list<AgentOutcome>(), "pass, fail, scheduler-error, error, timeout");
  EXPECT_EQ(name_of(ExitCause::kNone), "");
  EXPECT_EQ(name_of(ExitCause::kSubtreeKill), name_of(ChurnKind::kSubtreeKill));
  EXPECT_EQ(encode(Bye{}), R"({"type":"bye"})");
  EXPECT_EQ(MessageType<Verdict>::name, "result");
}

TEST(Vocabulary, UnknownNamesDoNotDecode) {
  EXPECT_FALSE(from_string<ChurnKind>("shuffle"));
  try {
    (void)nlohmann::json("shuffle").get<ChurnKind>();
    ADD_FAILURE() << "decoded an unknown churn kind";
  } catch (const nlohmann::json::exception& e) {  // what the host and the agent catch
    EXPECT_NE(std::string(e.what()).find("unknown churn kind 'shuffle' (known: weight-swap"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)nlohmann::json(3).get<WorkloadKind>(), nlohmann::json::exception);
}

TEST(Vocabulary, EnvelopesNameTheirKindOrNone) {
  auto known = decode_line(R"({"type":"scheduler_exited","path":"root/A"})");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->kind(), MessageKind::kSchedulerExited);
  auto newer = decode_line(R"({"type":"from_a_newer_agent"})");
  ASSERT_TRUE(newer);
  EXPECT_FALSE(newer->kind());
}

}  // namespace
}  // namespace scxfarm::protocol
