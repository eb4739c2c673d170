// Messages on the control channel. Guest->host messages are streamed as the
// scenario runs; the host stores each one verbatim (samples.jsonl) and also
// decodes it into these structs. Unknown "type"s are kept and ignored, so a
// newer agent's extra messages do not break an older host.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/protocol/scenario.h"
#include "scxfarm/protocol/vocabulary.h"

namespace scxfarm::protocol {

// guest -> host, first message once the agent has opened the port.
struct Hello {
  int protocol_version = 0;
  std::string agent_version;
  std::string kernel_release;  // uname -r
  uint32_t nr_cpus = 0;        // online cpus
  double uptime_s = 0;         // /proc/uptime at hello: boot-to-agent time
};

// guest -> host, right after hello: the CPU/NUMA topology the guest kernel
// sees, read from /sys/devices/system/{node,cpu}. The host compares it with
// the declared topology (vm/topology_check.h) and fails the run on a mismatch.
struct NodeSeen {
  uint32_t id = 0;                  // N of /sys/devices/system/node/nodeN
  std::string cpulist;              // nodeN/cpulist, trimmed ("" = no cpus)
  std::vector<uint32_t> distances;  // nodeN/distance, one per node in id order
  uint64_t memory_kib = 0;          // "Node N MemTotal:" of nodeN/meminfo, KiB
};
struct CpuSeen {
  uint32_t id = 0;              // N of /sys/devices/system/cpu/cpuN (online cpus)
  std::string thread_siblings;  // cpuN/topology/thread_siblings_list, e.g. "0-1"
};
struct TopologySeen {
  std::vector<NodeSeen> nodes;      // online nodes, by id
  std::vector<CpuSeen> cpus;        // online cpus, by id
  std::vector<std::string> errors;  // files that could not be read or parsed
};

// host -> guest: the scenario to run.
struct RunRequest {
  ScenarioPlan plan;
};

// guest -> host: a line of the agent's own log.
struct Log {
  std::string level;  // "info" | "warn" | "error" | "debug"
  std::string text;
};

// guest -> host: the agent moved to a new phase of the scenario.
struct Phase {
  ScenarioPhase name = ScenarioPhase::kCgroups;
  uint64_t t_ms = 0;  // since the run message arrived
};

// guest -> host: a qmap attached (its sysfs directory appeared).
struct SchedulerAttached {
  std::string path;        // "root", "root/A", ...
  std::string sysfs_dir;   // "/sys/kernel/sched_ext/root/sub/sub-42"
  uint64_t cgroup_id = 0;  // 0 for the root scheduler
  uint64_t attach_ms = 0;  // from start to sysfs directory present
  int pid = 0;
};

// guest -> host: a line a qmap printed (its `hier :` lines are parsed host-side).
struct SchedulerOutput {
  std::string path;
  uint64_t t_ms = 0;
  std::string line;
};

// guest -> host: a qmap process ended.
struct SchedulerExited {
  std::string path;
  uint64_t t_ms = 0;
  bool expected = false;    // the agent stopped it (teardown or churn)
  int exit_code = 0;        // -signal when killed by a signal
  std::string last_output;  // tail of what it printed (the EXIT: reason)
  // Why the agent expected it (subtree-kill: the killed qmap and the
  // sub-schedulers evicted with it); kNone if it did not.
  ExitCause cause = ExitCause::kNone;
};

// One scheduler's sysfs state at one instant: raw file text, parsed by the
// host with the same parsers the agent uses.
struct SchedulerState {
  std::string path;
  bool present = false;  // sysfs directory exists
  std::string ops;       // contents of `ops`
  std::string caps;      // raw `caps` text
  std::string events;    // raw `events` text
};

// One workload thread at one instant (/proc/<pid>/task/<tid>/{stat,schedstat}).
struct TaskProgress {
  std::string workload;  // WorkloadSpec name
  int tid = 0;
  std::string state;     // stat field 3: "R" runnable/running, "S", "D", ...
  uint64_t run_ns = 0;   // schedstat field 1: time spent on a cpu
  uint64_t wait_ns = 0;  // schedstat field 2: time spent waiting on a runqueue
};

// guest -> host: a periodic sample of every scheduler.
struct Sample {
  uint64_t seq = 0;
  uint64_t t_ms = 0;
  std::string state;  // /sys/kernel/sched_ext/state
  std::vector<SchedulerState> schedulers;
  std::vector<std::string> violations;  // the agent's own invariant check
  std::vector<TaskProgress> tasks;      // every workload thread; default none
};

// guest -> host: one churn operation was applied.
struct ChurnOp {
  uint64_t t_ms = 0;
  ChurnKind kind = ChurnKind::kWeightSwap;
  std::vector<std::string> targets;  // cgroup paths acted on (weight-swap, migrate: both)
  std::string detail;                // e.g. "A=100 B=200"
  bool ok = true;
  std::string error;
  // "" for an instant op; "begin"/"end" bracket an op that takes time
  // (detach-attach, subtree-kill): only "" and "end" count as operations.
  std::string stage;
  int cpu = -1;  // hotplug: the cpu taken offline or back online; -1 otherwise
};
// Up to protocol 2 the targets travelled comma-joined in "target" (a
// hotplug op's as "cpuN"); decoding reads that when "targets" is absent, so
// recorded streams still replay.
void to_json(nlohmann::json& j, const ChurnOp& op);
void from_json(const nlohmann::json& j, ChurnOp& op);

// guest -> host: a workload ended (or was stopped at the end of the run).
struct WorkloadDone {
  std::string name;
  WorkloadKind kind = WorkloadKind::kCommand;
  std::string cgroup;
  int exit_code = 0;     // -signal when killed
  bool stopped = false;  // stopped by the agent at the end of the run
  std::string output_tail;
};

// Per churn kind, what became of the seeded schedule's ops: every scheduled
// op is applied, failed or folded (skipped because a later op of the same
// driver was due too: the agent was late and only the latest effect counts).
struct ChurnTally {
  uint64_t scheduled = 0;
  uint64_t applied = 0;
  uint64_t failed = 0;
  uint64_t folded = 0;
};

// guest -> host, when the run phase ends: how long it really took and why,
// so the host checks counts against what the run did (not against one
// machine's speed) and shows what was late. Times in ms; *_at_ms and
// last_churn_end_ms are stream times (since the run message).
struct RunPhaseReport {
  uint64_t duration_ms = 0;        // declared (plan.duration_ms)
  uint64_t phase_ms = 0;           // what it took, settle included
  uint64_t settle_ms = 0;          // declared (plan.settle_ms); 0 = no settle awaited
  uint64_t last_churn_end_ms = 0;  // the last churn op completed; 0 = none ran
  uint64_t settled_at_ms = 0;      // the settle held; 0 = none declared or never
  bool settle_timed_out = false;
  std::string waiting_for;                  // what the settle still lacked when it timed out
  std::map<std::string, ChurnTally> churn;  // by churn kind name (a JSON object)
  uint64_t samples_taken = 0;               // Sample messages sent in the phase
  uint64_t samples_folded = 0;              // sample deadlines folded into a late sample
  uint64_t sample_max_late_ms = 0;
};

// guest -> host: the agent's verdict and the end of the stream.
struct Verdict {
  AgentOutcome outcome = AgentOutcome::kError;
  std::string reason;
  uint64_t samples = 0;
  uint64_t churn_ops = 0;
};

// guest -> host: nothing follows (sent after the verdict, before power-off).
struct Bye {};
inline void to_json(nlohmann::json& j, const Bye&) {
  j = nlohmann::json::object();
}
inline void from_json(const nlohmann::json&, Bye&) {}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Hello, protocol_version, agent_version,
                                                kernel_release, nr_cpus, uptime_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NodeSeen, id, cpulist, distances, memory_kib)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CpuSeen, id, thread_siblings)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TopologySeen, nodes, cpus, errors)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunRequest, plan)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Log, level, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Phase, name, t_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerAttached, path, sysfs_dir, cgroup_id,
                                                attach_ms, pid)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerOutput, path, t_ms, line)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerExited, path, t_ms, expected, exit_code,
                                                last_output, cause)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerState, path, present, ops, caps, events)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TaskProgress, workload, tid, state, run_ns, wait_ns)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Sample, seq, t_ms, state, schedulers, violations,
                                                tasks)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WorkloadDone, name, kind, cgroup, exit_code,
                                                stopped, output_tail)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChurnTally, scheduled, applied, failed, folded)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunPhaseReport, duration_ms, phase_ms, settle_ms,
                                                last_churn_end_ms, settled_at_ms, settle_timed_out,
                                                waiting_for, churn, samples_taken, samples_folded,
                                                sample_max_late_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Verdict, outcome, reason, samples, churn_ops)

// The message kind of each struct above; its "type" is the kind's name.
template <typename T>
struct MessageType;
#define SCXFARM_MESSAGE_TYPE(T, KIND)                                    \
  template <>                                                            \
  struct MessageType<T> {                                                \
    static constexpr MessageKind kind = MessageKind::KIND;               \
    static constexpr std::string_view name = name_of(MessageKind::KIND); \
  };
SCXFARM_MESSAGE_TYPE(Hello, kHello)
SCXFARM_MESSAGE_TYPE(TopologySeen, kTopologySeen)
SCXFARM_MESSAGE_TYPE(RunRequest, kRun)
SCXFARM_MESSAGE_TYPE(Log, kLog)
SCXFARM_MESSAGE_TYPE(Phase, kPhase)
SCXFARM_MESSAGE_TYPE(SchedulerAttached, kSchedulerAttached)
SCXFARM_MESSAGE_TYPE(SchedulerOutput, kSchedulerOutput)
SCXFARM_MESSAGE_TYPE(SchedulerExited, kSchedulerExited)
SCXFARM_MESSAGE_TYPE(Sample, kSample)
SCXFARM_MESSAGE_TYPE(ChurnOp, kChurn)
SCXFARM_MESSAGE_TYPE(WorkloadDone, kWorkloadDone)
SCXFARM_MESSAGE_TYPE(RunPhaseReport, kRunPhase)
SCXFARM_MESSAGE_TYPE(Verdict, kResult)
SCXFARM_MESSAGE_TYPE(Bye, kBye)
#undef SCXFARM_MESSAGE_TYPE

// One framed line (no trailing newline) for message M.
template <typename T>
std::string encode(const T& message) {
  nlohmann::json j = message;
  j["type"] = MessageType<T>::name;
  return j.dump();
}

// A decoded line: its type and the whole object. Invalid JSON or a missing
// "type" gives nullopt (the caller records the line as garbage).
struct Envelope {
  std::string type;
  nlohmann::json body;
  // The type's kind; nullopt for a type this end does not know (ignored).
  std::optional<MessageKind> kind() const { return from_string<MessageKind>(type); }
};
std::optional<Envelope> decode_line(const std::string& line);

// Incremental line splitter for a byte stream (virtio-serial reads arrive in
// arbitrary chunks). Lines longer than kMaxLine are cut and flagged.
class LineBuffer {
 public:
  static constexpr size_t kMaxLine = 4 << 20;  // 4 MiB: a sample of many schedulers
  void feed(const char* data, size_t size);
  // Next complete line, if any.
  std::optional<std::string> next();

 private:
  std::string buffer_;
  size_t scan_from_ = 0;
};

}  // namespace scxfarm::protocol
