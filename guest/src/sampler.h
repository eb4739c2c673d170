// Sysfs directories of the scheduler tree and the periodic Sample: raw
// ops/caps/events text of every scheduler plus the agent's own invariant
// check (caps subset per cap, event counters never decreasing).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "paths.h"
#include "scxfarm/protocol/messages.h"
#include "scxfarm/telemetry/sysfs.h"

namespace scxfarm::agent {

// /sys/kernel/sched_ext/root
std::filesystem::path root_sysfs_dir(const Paths& paths);
// <parent>/sub/sub-<cgroup id>
std::filesystem::path sub_sysfs_dir(const std::filesystem::path& parent_dir, uint64_t cgroup_id);

// Reads one scheduler's sysfs directory. present=false (and empty texts)
// when the directory is gone; WARNING is set when it exists but a file
// could not be read.
protocol::SchedulerState read_scheduler_state(const std::string& path,
                                              const std::filesystem::path& dir,
                                              std::string* warning);

// Every thread of every process whose process group is one of WORKLOADS'
// (name, pgid): its state and schedstat run/wait time, from PROC.
std::vector<protocol::TaskProgress> read_task_progress(
    const std::filesystem::path& proc, const std::vector<std::pair<std::string, int>>& workloads);

class Sampler {
 public:
  // Re-reads of the whole tree when a caps subset violation shows: a
  // parent's and a child's caps are read at different instants while the
  // kernel moves cids, so a violation counts only if it survives a re-read.
  static constexpr int kSubsetRereads = 3;

  explicit Sampler(Paths paths) : paths_(std::move(paths)) {}

  // Adds a scheduler (in start order) as a fresh instance.
  void track(const std::string& path, const std::filesystem::path& dir);

  // Workload process groups whose threads each sample reports (liveness):
  // (workload name, process group id = the workload's pid).
  void set_workloads(std::vector<std::pair<std::string, int>> workloads) {
    workloads_ = std::move(workloads);
  }

  protocol::Sample take(uint64_t seq, uint64_t t_ms);

  // Unreadable or unparsable kernel text seen since the last call, each
  // distinct message once per agent run.
  std::vector<std::string> take_warnings();
  uint64_t transient_subset_violations() const { return transient_subset_; }

 private:
  struct Tracked {
    std::string path;
    std::filesystem::path dir;
    std::optional<telemetry::EventMap> previous_events;
  };
  std::vector<protocol::SchedulerState> read_all();
  std::vector<std::string> subset_violations(const std::vector<protocol::SchedulerState>& states);
  void warn(std::string text);

  Paths paths_;
  std::vector<std::pair<std::string, int>> workloads_;
  std::vector<Tracked> tracked_;
  std::vector<std::string> warnings_;
  std::vector<std::string> warned_;
  uint64_t transient_subset_ = 0;
};

}  // namespace scxfarm::agent
