#include "sampler.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "scxfarm/telemetry/invariants.h"
#include "sys_io.h"

namespace scxfarm::agent {

std::filesystem::path root_sysfs_dir(const Paths& paths) {
  return paths.sched_ext / "root";
}

std::filesystem::path sub_sysfs_dir(const std::filesystem::path& parent_dir, uint64_t cgroup_id) {
  return parent_dir / "sub" / ("sub-" + std::to_string(cgroup_id));
}

protocol::SchedulerState read_scheduler_state(const std::string& path,
                                              const std::filesystem::path& dir,
                                              std::string* warning) {
  protocol::SchedulerState state;
  state.path = path;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return state;
  auto ops = read_text(dir / "ops");
  auto caps = read_text(dir / "caps");
  auto events = read_text(dir / "events");
  if (!ops || !caps || !events) {
    // Gone while reading: the scheduler exited between the calls.
    if (!std::filesystem::is_directory(dir, ec)) return state;
    if (warning) {
      *warning = path + ": " + (!ops ? ops.error() : !caps ? caps.error() : events.error()).message;
    }
  }
  state.present = true;
  if (ops) state.ops = trim(*ops);
  if (caps) state.caps = std::move(*caps);
  if (events) state.events = std::move(*events);
  return state;
}

namespace {

// "pid (comm) S ppid pgrp ...": the fields after the last ')'.
std::vector<std::string> stat_fields_after_comm(const std::string& stat) {
  std::vector<std::string> out;
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return out;
  size_t i = close + 1;
  while (i < stat.size()) {
    while (i < stat.size() && stat[i] == ' ') ++i;
    size_t j = i;
    while (j < stat.size() && stat[j] != ' ' && stat[j] != '\n') ++j;
    if (j > i) out.push_back(stat.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<protocol::TaskProgress> read_task_progress(
    const std::filesystem::path& proc, const std::vector<std::pair<std::string, int>>& workloads) {
  std::vector<protocol::TaskProgress> out;
  if (workloads.empty()) return out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(proc, ec)) {
    const std::string pid = entry.path().filename().string();
    if (!all_digits(pid)) continue;
    auto stat = read_text(entry.path() / "stat", 4096);
    if (!stat) continue;  // exited meanwhile
    const auto fields = stat_fields_after_comm(*stat);
    if (fields.size() < 3) continue;
    const int pgrp = std::atoi(fields[2].c_str());
    const auto w = std::find_if(workloads.begin(), workloads.end(),
                                [&](const auto& p) { return p.second == pgrp; });
    if (w == workloads.end()) continue;
    std::error_code tec;
    for (const auto& task : std::filesystem::directory_iterator(entry.path() / "task", tec)) {
      const std::string tid = task.path().filename().string();
      if (!all_digits(tid)) continue;
      auto tstat = read_text(task.path() / "stat", 4096);
      auto sched = read_text(task.path() / "schedstat", 4096);
      if (!tstat || !sched) continue;
      const auto tf = stat_fields_after_comm(*tstat);
      protocol::TaskProgress t;
      t.workload = w->first;
      t.tid = std::atoi(tid.c_str());
      t.state = tf.empty() ? "?" : tf[0];
      char* end = nullptr;
      t.run_ns = std::strtoull(sched->c_str(), &end, 10);
      t.wait_ns = std::strtoull(end, nullptr, 10);
      out.push_back(std::move(t));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.tid < b.tid; });
  return out;
}

void Sampler::track(const std::string& path, const std::filesystem::path& dir) {
  for (auto& t : tracked_) {
    if (t.path == path) {
      t = Tracked{path, dir, std::nullopt};
      return;
    }
  }
  tracked_.push_back({path, dir, std::nullopt});
}

void Sampler::warn(std::string text) {
  if (std::find(warned_.begin(), warned_.end(), text) != warned_.end()) return;
  if (warned_.size() < 256) warned_.push_back(text);
  warnings_.push_back(std::move(text));
}

std::vector<std::string> Sampler::take_warnings() {
  return std::exchange(warnings_, {});
}

std::vector<protocol::SchedulerState> Sampler::read_all() {
  std::vector<protocol::SchedulerState> states;
  for (const auto& t : tracked_) {
    std::string warning;
    states.push_back(read_scheduler_state(t.path, t.dir, &warning));
    if (!warning.empty()) warn(warning);
  }
  return states;
}

std::vector<std::string> Sampler::subset_violations(
    const std::vector<protocol::SchedulerState>& states) {
  std::map<std::string, telemetry::CapMap> caps_by_path;
  for (const auto& s : states) {
    if (!s.present || s.caps.empty()) continue;
    auto caps = telemetry::parse_caps(s.caps);
    if (!caps) {
      warn(s.path + ": caps: " + caps.error().message);
      continue;
    }
    caps_by_path.emplace(s.path, std::move(*caps));
  }
  std::vector<std::string> out;
  for (const auto& v : telemetry::check_caps_subset(caps_by_path)) out.push_back(v.describe());
  return out;
}

protocol::Sample Sampler::take(uint64_t seq, uint64_t t_ms) {
  protocol::Sample sample;
  sample.seq = seq;
  sample.t_ms = t_ms;
  if (auto state = read_text(paths_.sched_ext / "state", 4096)) {
    sample.state = trim(*state);
  } else {
    warn("sched_ext state: " + state.error().message);
  }

  sample.schedulers = read_all();
  auto violations = subset_violations(sample.schedulers);
  for (int i = 0; i < kSubsetRereads && !violations.empty(); ++i) {
    sample.schedulers = read_all();
    auto again = subset_violations(sample.schedulers);
    if (again.empty()) ++transient_subset_;
    violations = std::move(again);
  }
  sample.violations = std::move(violations);
  sample.tasks = read_task_progress(paths_.proc, workloads_);

  for (size_t i = 0; i < tracked_.size(); ++i) {
    Tracked& t = tracked_[i];
    const auto& s = sample.schedulers[i];
    if (!s.present) {
      t.previous_events.reset();  // a scheduler that comes back is a new instance
      continue;
    }
    if (s.events.empty()) continue;
    auto events = telemetry::parse_events(s.events);
    if (!events) {
      warn(s.path + ": events: " + events.error().message);
      continue;
    }
    if (t.previous_events) {
      for (const auto& r : telemetry::check_monotonic(t.path, *t.previous_events, *events)) {
        sample.violations.push_back(r.describe());
      }
    }
    t.previous_events = std::move(*events);
  }
  return sample;
}

}  // namespace scxfarm::agent
