// The words host and agent exchange: churn kinds, workload kinds, message
// types, scenario phases, the agent's verdict outcomes and why a scheduler
// was stopped. Each
// is an enum with exactly one Spellings table (scxfarm/common/spelling.h)
// here; the JSON on the wire,
// the scenario YAML, the config loader's "allowed:" lists and the labels in
// run.json all read that table, so no spelling is written twice.
//
// JSON decoding is strict: a name no table holds throws UnknownName (a
// nlohmann::json::exception, so the host counts the message as undecodable
// and the agent calls the run message malformed) instead of quietly
// becoming some other value.
#pragma once

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scxfarm/common/spelling.h"

namespace scxfarm::protocol {

// What each enum is called in messages, and its Spellings table:
// specialised below.
template <typename E>
struct Spelled;

template <typename E>
concept SpelledEnum = requires {
  Spelled<E>::kWhat;
  Spelled<E>::kNames;
};

// The spelling of VALUE. Every value has one: a value missing from its
// table is a bug in the table.
template <SpelledEnum E>
constexpr std::string_view name_of(E value) {
  if (auto name = scxfarm::name_of(Spelled<E>::kNames, value)) return *name;
  std::abort();
}
template <SpelledEnum E>
std::string to_string(E value) {
  return std::string(name_of(value));
}

// The value spelled NAME; nullopt when no entry has that name.
template <SpelledEnum E>
constexpr std::optional<E> from_string(std::string_view name) {
  return scxfarm::value_of(Spelled<E>::kNames, name);
}

// Every spelling of E in table order, ", "-separated.
template <SpelledEnum E>
std::string spelled_list() {
  std::string out;
  for (const auto& [name, value] : Spelled<E>::kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// One churn driver's action (ChurnSpec::kind, ChurnOp::kind); what each
// does is described at ChurnSpec.
enum class ChurnKind {
  kWeightSwap,
  kWeightRandom,
  kDetachAttach,
  kSubtreeKill,
  kHotplug,
  kMigrate
};
template <>
struct Spelled<ChurnKind> {
  static constexpr std::string_view kWhat = "churn kind";
  static constexpr Spellings<ChurnKind, 6> kNames = {{
      {"weight-swap", ChurnKind::kWeightSwap},
      {"weight-random", ChurnKind::kWeightRandom},
      {"detach-attach", ChurnKind::kDetachAttach},
      {"subtree-kill", ChurnKind::kSubtreeKill},
      {"hotplug", ChurnKind::kHotplug},
      {"migrate", ChurnKind::kMigrate},
  }};
};

// The program a workload runs (WorkloadSpec::kind, WorkloadDone::kind).
enum class WorkloadKind { kStressNg, kHackbench, kCyclictest, kCommand, kWakeupProbe };
template <>
struct Spelled<WorkloadKind> {
  static constexpr std::string_view kWhat = "workload kind";
  static constexpr Spellings<WorkloadKind, 5> kNames = {{
      {"stress-ng", WorkloadKind::kStressNg},
      {"hackbench", WorkloadKind::kHackbench},
      {"cyclictest", WorkloadKind::kCyclictest},
      {"command", WorkloadKind::kCommand},  // args[0] is the program
      {"wakeup-probe", WorkloadKind::kWakeupProbe},
  }};
};

// The steps of a scenario, in order (Phase::name): the run phase
// (RunPhaseReport) is the churn step.
enum class ScenarioPhase { kCgroups, kSchedulers, kWorkloads, kChurn, kTeardown };
template <>
struct Spelled<ScenarioPhase> {
  static constexpr std::string_view kWhat = "scenario phase";
  static constexpr Spellings<ScenarioPhase, 5> kNames = {{
      {"cgroups", ScenarioPhase::kCgroups},
      {"schedulers", ScenarioPhase::kSchedulers},
      {"workloads", ScenarioPhase::kWorkloads},
      {"churn", ScenarioPhase::kChurn},
      {"teardown", ScenarioPhase::kTeardown},
  }};
};

// The agent's own verdict (Verdict::outcome).
enum class AgentOutcome { kPass, kFail, kSchedulerError, kError, kTimeout };
template <>
struct Spelled<AgentOutcome> {
  static constexpr std::string_view kWhat = "agent outcome";
  static constexpr Spellings<AgentOutcome, 5> kNames = {{
      {"pass", AgentOutcome::kPass},
      {"fail", AgentOutcome::kFail},                       // invariant violations
      {"scheduler-error", AgentOutcome::kSchedulerError},  // a qmap exited or never attached
      {"error", AgentOutcome::kError},                     // the agent could not do its job
      {"timeout", AgentOutcome::kTimeout},                 // a declared settle never came
  }};
};

// Why the agent stopped a scheduler (SchedulerExited::cause): the churn op
// that did it is spelled as its kind.
enum class ExitCause { kNone, kTeardown, kDetachAttach, kSubtreeKill };
template <>
struct Spelled<ExitCause> {
  static constexpr std::string_view kWhat = "exit cause";
  static constexpr Spellings<ExitCause, 4> kNames = {{
      {"", ExitCause::kNone},  // the agent did not stop it
      {"teardown", ExitCause::kTeardown},
      {name_of(ChurnKind::kDetachAttach), ExitCause::kDetachAttach},
      {name_of(ChurnKind::kSubtreeKill), ExitCause::kSubtreeKill},
  }};
};

// The "type" of every message on the control channel (see messages.h for
// the struct of each).
enum class MessageKind {
  kHello,
  kTopologySeen,
  kRun,
  kLog,
  kPhase,
  kSchedulerAttached,
  kSchedulerOutput,
  kSchedulerExited,
  kSample,
  kChurn,
  kWorkloadDone,
  kRunPhase,
  kResult,
  kBye,
};
template <>
struct Spelled<MessageKind> {
  static constexpr std::string_view kWhat = "message type";
  static constexpr Spellings<MessageKind, 14> kNames = {{
      {"hello", MessageKind::kHello},
      {"topology_seen", MessageKind::kTopologySeen},
      {"run", MessageKind::kRun},
      {"log", MessageKind::kLog},
      {"phase", MessageKind::kPhase},
      {"scheduler_attached", MessageKind::kSchedulerAttached},
      {"scheduler_output", MessageKind::kSchedulerOutput},
      {"scheduler_exited", MessageKind::kSchedulerExited},
      {"sample", MessageKind::kSample},
      {"churn", MessageKind::kChurn},
      {"workload_done", MessageKind::kWorkloadDone},
      {"run_phase", MessageKind::kRunPhase},
      {"result", MessageKind::kResult},
      {"bye", MessageKind::kBye},
  }};
};

// A JSON string no table holds, or a value that is not a string.
class UnknownName : public nlohmann::json::exception {
 public:
  explicit UnknownName(const std::string& what)
      : nlohmann::json::exception(kId, ("[scxfarm.protocol.unknown_name] " + what).c_str()) {}
  static constexpr int kId = 900;
};

// Spelled enums travel as their names (found by ADL for every SpelledEnum;
// the concrete json parameter makes these win over nlohmann's enum-as-integer
// default).
template <SpelledEnum E>
void to_json(nlohmann::json& j, E value) {
  j = name_of(value);
}
template <SpelledEnum E>
void from_json(const nlohmann::json& j, E& value) {
  const std::string* name = j.get_ptr<const std::string*>();
  if (!name)
    throw UnknownName(std::string(Spelled<E>::kWhat) + ": expected a string, got " + j.dump());
  const auto found = from_string<E>(*name);
  if (!found)
    throw UnknownName("unknown " + std::string(Spelled<E>::kWhat) + " '" + *name +
                      "' (known: " + spelled_list<E>() + ")");
  value = *found;
}

}  // namespace scxfarm::protocol
