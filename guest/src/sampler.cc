#include "sampler.h"

#include <algorithm>
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
