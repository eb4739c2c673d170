#include <algorithm>
#include <map>
#include <set>

#include "faults.h"
#include "loaders.h"

namespace scxfarm::config {

namespace detail {

namespace {

using protocol::CgroupSpec;
using protocol::ChurnSpec;
using protocol::SchedulerSpec;
using protocol::WorkloadSpec;

using protocol::ChurnKind;
using protocol::WorkloadKind;

constexpr uint32_t kMaxDepth = 8;  // top-level cgroups are depth 1
// qmap flags a scenario may pass (the rest change what the farm measures or
// break the run: -e/-t/-T/-l error injection, -c set by the agent, ...).
// Flags with a value take it as the next item or glued ("-s5000").
struct QmapFlag {
  char flag;
  const char* value;  // nullptr: no value
  bool root_only;
};
const QmapFlag kQmapFlags[] = {
    {'s', "SLICE_US", false}, {'R', "MS", false},        {'B', "PPT", true}, {'I', nullptr, false},
    {'F', "COUNT", false},    {'J', "wrong-cid", false}, {'q', "US", true}};
const char* kQmapFlagListing =
    "-s SLICE_US, -R MS, -B PPT (root only), -I, -F COUNT, -J wrong-cid, -q US (root only)";

// What the tree walk learns, for the cross-checks (churn, expect).
struct TreeIndex {
  std::vector<std::string> paths;               // declaration order, "A", "A/A1"
  std::map<std::string, bool> has_scheduler;    // by path
  std::map<std::string, std::string> workload;  // workload name -> its field path

  bool contains(const std::string& path) const { return has_scheduler.count(path) > 0; }
  std::string listing() const { return paths.empty() ? "none" : join(paths); }
  std::string scheduler_listing() const {
    std::vector<std::string> with;
    for (const auto& p : paths) {
      if (has_scheduler.at(p)) with.push_back(p);
    }
    return with.empty() ? "none" : join(with);
  }
};

// getopt reads "-c", "-cPATH" as qmap's cgroup option.
bool is_cgroup_option(const std::string& arg) {
  return arg.size() >= 2 && arg[0] == '-' && arg[1] == 'c';
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void parse_scheduler(const Field& f, Diagnostics& diag, bool is_root, SchedulerSpec& out) {
  if (f.node.IsNull()) return;  // `scheduler:` alone means a qmap with defaults
  FieldReader r(f, diag);
  if (auto args = r.get("qmap_args")) {
    auto items = as_sequence(*args, diag).value_or(std::vector<Field>{});
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      auto arg = as_string(item, diag);
      if (!arg) continue;
      if (is_cgroup_option(*arg)) {
        diag.error(item.mark, item.path,
                   "'" + *arg +
                       "' is not allowed: the agent adds -c <cgroup path> itself from the "
                       "cgroup tree (remove it)");
        continue;
      }
      const QmapFlag* flag = nullptr;
      if (arg->size() >= 2 && (*arg)[0] == '-') {
        for (const auto& q : kQmapFlags)
          if (q.flag == (*arg)[1]) flag = &q;
      }
      if (!flag || (!flag->value && arg->size() != 2)) {
        diag.error(
            item.mark, item.path,
            "'" + *arg + "' is not an allowed qmap flag (allowed: " + kQmapFlagListing + ")");
        continue;
      }
      if (flag->root_only && !is_root) {
        diag.error(item.mark, item.path,
                   "'" + *arg + "' is for the root scheduler only (qmap ignores it on a child)");
      }
      out.qmap_args.push_back(*arg);
      if (!flag->value) continue;
      std::string value = arg->substr(2);
      const Field* at = &item;
      if (value.empty()) {
        if (i + 1 >= items.size()) {
          diag.error(item.mark, item.path, "'" + *arg + "' needs a value " + flag->value);
          continue;
        }
        at = &items[++i];
        auto v = as_string(*at, diag);
        if (!v) continue;
        value = *v;
        out.qmap_args.push_back(value);
      }
      const bool ok = flag->flag == 'J' ? value == "wrong-cid" : all_digits(value);
      if (!ok) {
        diag.error(
            at->mark, at->path,
            "'" + value + "' is not a valid " + flag->value + " for -" +
                std::string(1, flag->flag) +
                (flag->flag == 'J' ? " (allowed: wrong-cid)" : " (allowed: a decimal number)"));
      }
    }
  }
  r.finish();
}

void parse_workload(const Field& f, Diagnostics& diag, TreeIndex& index, WorkloadSpec& out) {
  FieldReader r(f, diag);
  if (auto name = r.require("name")) {
    if (auto s = as_string(*name, diag)) {
      out.name = *s;
      if (!is_safe_name(out.name, /*allow_dot=*/false)) {
        diag.error(name->mark, name->path,
                   "'" + out.name + "' is not a valid name (allowed characters: A-Z a-z 0-9 _ -)");
      } else if (auto [it, fresh] = index.workload.emplace(out.name, f.path); !fresh) {
        diag.error(name->mark, name->path,
                   "'" + out.name + "' is already the name of " + it->second +
                       " (workload names are unique in a scenario)");
      }
    }
  }
  auto kind = r.require("kind");
  bool is_command = false;
  if (kind) {
    if (auto s = as_string(*kind, diag)) {
      if (auto k = protocol::from_string<WorkloadKind>(*s)) {
        out.kind = *k;
        is_command = *k == WorkloadKind::kCommand;
      } else {
        diag.error(kind->mark, kind->path,
                   "'" + *s + "' is not allowed (allowed: " +
                       protocol::spelled_list<WorkloadKind>() + ")");
      }
    }
  }
  r.read("args", out.args);  // extra argv; default none
  if (is_command && out.args.empty()) {
    diag.error(kind->mark, join_path(f.path, "args"),
               "kind: command needs args (the program and its arguments)");
  }
  r.finish();
}

void parse_cgroup(const Field& f, Diagnostics& diag, TreeIndex& index, const std::string& parent,
                  uint32_t depth, std::set<std::string>& siblings, CgroupSpec& out) {
  FieldReader r(f, diag);
  std::string path;
  if (auto name = r.require("name")) {
    if (auto s = as_string(*name, diag)) {
      out.name = *s;
      if (!is_safe_name(out.name, /*allow_dot=*/false)) {
        diag.error(
            name->mark, name->path,
            "'" + out.name + "' is not a valid cgroup name (allowed characters: A-Z a-z 0-9 _ -)");
      } else if (!siblings.insert(out.name).second) {
        diag.error(name->mark, name->path,
                   "'" + out.name +
                       "' is already used by a sibling (cgroup names are unique among "
                       "siblings)");
      } else {
        path = parent.empty() ? out.name : parent + "/" + out.name;
      }
    }
  }
  if (depth > kMaxDepth) {
    diag.error(f.mark, f.path,
               "cgroup nesting depth " + std::to_string(depth) + " is too deep (allowed: 1..8)");
  }
  r.read("weight", out.weight, 1, 10000);  // cgroup v2 cpu.weight; default 100
  if (auto s = r.get("scheduler")) {
    out.has_scheduler = true;
    parse_scheduler(*s, diag, /*is_root=*/false, out.scheduler);
  }
  if (!path.empty()) {
    index.paths.push_back(path);
    index.has_scheduler[path] = out.has_scheduler;
  }
  auto workloads = r.get("workloads");
  if (workloads) {
    for (const auto& item : as_sequence(*workloads, diag).value_or(std::vector<Field>{})) {
      out.workloads.emplace_back();
      parse_workload(item, diag, index, out.workloads.back());
    }
  }
  if (auto children = r.get("children"); children && depth <= kMaxDepth) {
    std::set<std::string> names;
    for (const auto& item : as_sequence(*children, diag).value_or(std::vector<Field>{})) {
      out.children.emplace_back();
      parse_cgroup(item, diag, index, path, depth + 1, names, out.children.back());
    }
  }
  if (!out.children.empty() && !out.workloads.empty()) {
    diag.error(workloads->mark, workloads->path,
               "workloads must be in a leaf cgroup, and '" + out.name +
                   "' has children (cgroup v2 allows no processes in an inner cgroup with "
                   "controllers enabled)");
  }
  r.finish();
}

void parse_churn(const Field& f, Diagnostics& diag, const TreeIndex& index, uint32_t nr_cpus_hint,
                 ChurnSpec& out) {
  (void)nr_cpus_hint;
  FieldReader r(f, diag);
  std::optional<ChurnKind> known;
  if (auto kind = r.require("kind")) {
    if (auto s = as_string(*kind, diag)) {
      known = protocol::from_string<ChurnKind>(*s);
      if (known) {
        out.kind = *known;
      } else {
        diag.error(
            kind->mark, kind->path,
            "'" + *s + "' is not allowed (allowed: " + protocol::spelled_list<ChurnKind>() + ")");
      }
    }
  }
  const std::string kind_name = known ? protocol::to_string(*known) : "";
  const bool hotplug = known == ChurnKind::kHotplug;
  const bool pair = known == ChurnKind::kWeightSwap || known == ChurnKind::kMigrate;
  const bool needs_scheduler =
      known == ChurnKind::kDetachAttach || known == ChurnKind::kSubtreeKill;
  if (auto targets = hotplug ? r.get("targets") : r.require("targets")) {
    auto items = as_sequence(*targets, diag);
    if (hotplug && items && !items->empty()) {
      diag.error(targets->mark, targets->path, "hotplug takes cpus, not targets");
    }
    if (items && pair && items->size() != 2) {
      diag.error(targets->mark, targets->path,
                 kind_name + " needs exactly 2 cgroup paths, got " + std::to_string(items->size()));
    }
    if (items && !pair && !hotplug && items->empty()) {
      diag.error(targets->mark, targets->path, kind_name + " needs at least one cgroup path");
    }
    for (const auto& item : items.value_or(std::vector<Field>{})) {
      auto target = as_string(item, diag);
      if (!target) continue;
      if (!index.contains(*target)) {
        diag.error(item.mark, item.path,
                   "'" + *target +
                       "' is not a cgroup of this scenario (cgroups: " + index.listing() + ")");
      } else if (std::find(out.targets.begin(), out.targets.end(), *target) != out.targets.end()) {
        diag.error(item.mark, item.path, "'" + *target + "' is listed twice");
      } else if (needs_scheduler && !index.has_scheduler.at(*target)) {
        diag.error(item.mark, item.path,
                   "cgroup '" + *target + "' has no scheduler to " + kind_name +
                       " (cgroups with a scheduler: " + index.scheduler_listing() + ")");
      } else if (known == ChurnKind::kDetachAttach) {
        for (const auto& p : index.paths) {
          if (p.rfind(*target + "/", 0) == 0 && index.has_scheduler.at(p)) {
            diag.error(item.mark, item.path,
                       "'" + *target + "' has a sub-scheduler (" + p +
                           "): detach-attach takes leaf schedulers only (the kernel would evict "
                           "the subtree)");
            break;
          }
        }
      }
      out.targets.push_back(*target);
    }
  }
  r.read("period_ms", out.period_ms, 10, 600000);  // default 500
  if (auto at = r.get("at_ms")) {  // timed script, ms since churn start; default none
    for (const auto& item : as_sequence(*at, diag).value_or(std::vector<Field>{})) {
      if (auto v = as_uint(item, diag, 0, 86400000)) out.at_ms.push_back(static_cast<uint32_t>(*v));
    }
  }
  if (known == ChurnKind::kWeightRandom) {
    r.read("min_weight", out.min_weight, 1, 10000);  // default 1
    r.read("max_weight", out.max_weight, 1, 10000);  // default 10000
    if (out.min_weight > out.max_weight)
      diag.error(f.mark, f.path,
                 "min_weight " + std::to_string(out.min_weight) + " > max_weight " +
                     std::to_string(out.max_weight));
  }
  if (hotplug) {
    auto cpus = r.require("cpus");
    for (const auto& item :
         cpus ? as_sequence(*cpus, diag).value_or(std::vector<Field>{}) : std::vector<Field>{}) {
      auto v = as_uint(item, diag, 0, 4095);
      if (!v) continue;
      if (*v == 0) {
        diag.error(item.mark, item.path, "cpu0 is not hot-pluggable (allowed: 1..nr_cpus-1)");
        continue;
      }
      out.cpus.push_back(static_cast<uint32_t>(*v));
    }
    if (cpus && out.cpus.empty())
      diag.error(cpus->mark, cpus->path, "hotplug needs at least one cpu");
  }
  r.finish();
}

void parse_expect(const Field& f, Diagnostics& diag, const TreeIndex& index,
                  const protocol::ScenarioPlan& plan, Expectations& out) {
  FieldReader r(f, diag);
  auto min_ops = r.get("min_churn_ops");
  if (min_ops) {
    if (auto v = as_uint(*min_ops, diag, 0, UINT32_MAX))
      out.min_churn_ops = static_cast<uint32_t>(*v);
  }
  if (auto caps = r.get("caps_change")) {
    std::set<std::string> seen;
    for (const auto& item : as_sequence(*caps, diag).value_or(std::vector<Field>{})) {
      auto path = as_string(item, diag);
      if (!path) continue;
      if (!index.contains(*path)) {
        diag.error(item.mark, item.path,
                   "'" + *path + "' is not a cgroup of this scenario (cgroups with a scheduler: " +
                       index.scheduler_listing() + ")");
      } else if (!index.has_scheduler.at(*path)) {
        diag.error(item.mark, item.path,
                   "cgroup '" + *path + "' has no scheduler (cgroups with a scheduler: " +
                       index.scheduler_listing() + ")");
      } else if (!seen.insert(*path).second) {
        diag.error(item.mark, item.path, "'" + *path + "' is listed twice");
      }
      out.caps_change.push_back(*path);
    }
  }
  r.read("all_schedulers_attach", out.all_schedulers_attach);  // default true
  if (auto exits = r.get("exits")) {
    for (const auto& item : as_sequence(*exits, diag).value_or(std::vector<Field>{})) {
      auto path = as_string(item, diag);
      if (!path) continue;
      if (!index.contains(*path) || !index.has_scheduler.at(*path)) {
        diag.error(item.mark, item.path,
                   "'" + *path + "' is not a cgroup with a scheduler (allowed: " +
                       index.scheduler_listing() + ")");
      }
      out.exits.push_back(*path);
    }
  }
  r.read("max_starvation_ms", out.max_starvation_ms, 0, 600000);  // default 5000, 0 = off
  r.read("partition_matches_caps", out.partition_matches_caps);   // default false
  if (auto inj = r.get("injection")) {
    FieldReader ir(*inj, diag);
    if (auto cg = ir.require("cgroup")) {
      if (auto path = as_string(*cg, diag)) {
        out.injection_cgroup = *path;
        if (!index.contains(*path) || !index.has_scheduler.at(*path))
          diag.error(cg->mark, cg->path,
                     "'" + *path + "' is not a cgroup with a scheduler (allowed: " +
                         index.scheduler_listing() + ")");
      }
    }
    if (auto mode = ir.require("mode")) {
      if (auto m = as_string(*mode, diag)) {
        out.injection_mode = *m;
        if (*m != "bounce" && *m != "rescue")
          diag.error(mode->mark, mode->path,
                     "'" + *m + "' is not allowed (allowed: bounce, rescue)");
      }
    }
    ir.read("min_attempts", out.injection_min_attempts, 1, UINT32_MAX);  // default 1
    ir.finish();
  }
  r.finish();

  // An expectation no run can meet is a config bug, not a kernel bug.
  uint64_t possible = 0;
  const uint32_t churn_end = plan.duration_ms - std::min(plan.settle_ms, plan.duration_ms);
  for (const auto& c : plan.churn) {
    if (!c.at_ms.empty()) {
      possible += c.at_ms.size();
    } else {
      possible += c.period_ms ? churn_end / c.period_ms : 0;
    }
  }
  if (min_ops && out.min_churn_ops > possible) {
    diag.error(min_ops->mark, min_ops->path,
               std::to_string(out.min_churn_ops) + " can never be met: the churn applies at most " +
                   std::to_string(possible) + " ops in duration_s (allowed: 0.." +
                   std::to_string(possible) + ")");
  }
}

}  // namespace

void parse_scenario(const Field& root, Diagnostics& diag, ScenarioConfig& out) {
  auto& plan = out.plan;
  plan.name = diag.file().stem().string();
  FieldReader r(root, diag);
  r.read("description", out.description);
  r.read("seed", plan.seed, 0, UINT64_MAX);       // default 1
  uint32_t duration_s = plan.duration_ms / 1000;  // default 30
  r.read("duration_s", duration_s, 1, 86400);
  plan.duration_ms = duration_s * 1000;
  r.read("sample_interval_ms", plan.sample_interval_ms, 50, 60000);    // default 250
  r.read("qmap_stats_interval_s", plan.qmap_stats_interval_s, 1, 60);  // default 1
  r.read("attach_timeout_ms", plan.attach_timeout_ms, 1000, 600000);   // default 30000
  r.read("settle_ms", plan.settle_ms, 0, 600000);                      // default 0
  if (plan.settle_ms >= plan.duration_ms)
    diag.error(root.mark, root.path,
               "settle_ms " + std::to_string(plan.settle_ms) +
                   " leaves no churn phase (allowed: 0.." + std::to_string(plan.duration_ms - 1) +
                   ")");
  if (auto f = r.get("root_scheduler"))
    parse_scheduler(*f, diag, /*is_root=*/true, plan.root_scheduler);

  TreeIndex index;
  if (auto f = r.get("cgroups")) {
    std::set<std::string> names;
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      plan.cgroups.emplace_back();
      parse_cgroup(item, diag, index, "", 1, names, plan.cgroups.back());
    }
  }
  if (auto f = r.get("churn")) {
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      plan.churn.emplace_back();
      parse_churn(item, diag, index, 0, plan.churn.back());
    }
  }
  if (auto f = r.get("expect")) parse_expect(*f, diag, index, plan, out.expect);
  if (auto f = r.get("faults")) parse_faults(*f, diag, plan);  // default none
  r.read("exclusive", out.exclusive);                          // default false
  r.finish();
}

}  // namespace detail

Result<ScenarioConfig> load_scenario(const std::filesystem::path& path) {
  return detail::load_with<ScenarioConfig>(path, detail::parse_scenario);
}

}  // namespace scxfarm::config
