#include "plan_tree.h"

#include <set>

namespace scxfarm::agent {
namespace {

bool safe_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> qmap_argv(const std::string& qmap, const std::string& cgroup_root,
                                   const protocol::PlanScheduler& node, uint32_t stats_interval_s) {
  std::vector<std::string> argv{qmap, "-i", std::to_string(stats_interval_s)};
  argv.insert(argv.end(), node.qmap_args.begin(), node.qmap_args.end());
  if (!node.cgroup.empty()) {
    argv.push_back("-c");
    argv.push_back(cgroup_root + "/" + node.cgroup);
  }
  return argv;
}

Result<std::vector<std::string>> workload_argv(const protocol::WorkloadSpec& spec) {
  using protocol::WorkloadKind;
  std::vector<std::string> argv;
  switch (spec.kind) {
    case WorkloadKind::kStressNg:
    case WorkloadKind::kHackbench:
    case WorkloadKind::kCyclictest:
      argv.push_back(protocol::to_string(spec.kind));  // the program is named as the kind
      break;
    case WorkloadKind::kWakeupProbe:
      argv.push_back(kWakeupProbePath);
      break;
    case WorkloadKind::kCommand:
      if (spec.args.empty() || spec.args.front().empty()) {
        return make_error("workload " + spec.name + ": kind command needs args[0], the program");
      }
      break;
  }
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  return argv;
}

Status validate_plan(const protocol::ScenarioPlan& plan) {
  if (plan.duration_ms == 0) return make_error("duration_ms must be > 0");
  if (plan.sample_interval_ms == 0) return make_error("sample_interval_ms must be > 0");
  if (plan.qmap_stats_interval_s == 0) return make_error("qmap_stats_interval_s must be > 0");
  if (plan.attach_timeout_ms == 0) return make_error("attach_timeout_ms must be > 0");
  const protocol::PlanTree tree(plan);
  std::set<std::string> paths, workload_names;
  for (const auto& cg : tree.cgroups()) {
    if (!safe_name(cg.name)) {
      return make_error("cgroup name '" + cg.name + "' is not [A-Za-z0-9_-]{1,64}");
    } else if (!paths.insert(cg.path).second) {
      return make_error("duplicate cgroup " + cg.path);
    } else if (cg.weight < 1 || cg.weight > 10000) {
      return make_error("cgroup " + cg.path + ": weight " + std::to_string(cg.weight) +
                        " not in 1..10000");
    } else if (cg.workloads > 0 && !cg.leaf) {
      return make_error("cgroup " + cg.path + ": workloads are allowed only in leaf cgroups");
    }
  }
  for (const auto& w : tree.workloads()) {
    if (!workload_names.insert(w.spec.name).second)
      return make_error("duplicate workload name " + w.spec.name);
    if (auto argv = workload_argv(w.spec); !argv) return argv.error();
  }
  std::set<std::string> with_scheduler;
  for (const auto& c : tree.scheduler_cgroups()) with_scheduler.insert(c);
  using protocol::ChurnKind;
  for (const auto& churn : plan.churn) {
    const ChurnKind kind = churn.kind;
    const std::string what = "churn " + protocol::to_string(kind) + ": ";
    if (churn.period_ms == 0 && churn.at_ms.empty())
      return make_error(what + "period_ms must be > 0");
    const bool pair = kind == ChurnKind::kWeightSwap || kind == ChurnKind::kMigrate;
    if (pair && (churn.targets.size() != 2 || churn.targets[0] == churn.targets[1]))
      return make_error(what + "needs two distinct targets");
    if (kind == ChurnKind::kHotplug) {
      if (churn.cpus.empty()) return make_error(what + "needs cpus");
      for (uint32_t cpu : churn.cpus)
        if (cpu == 0) return make_error(what + "cpu0 is not hot-pluggable");
    } else if (churn.targets.empty()) {
      return make_error(what + "needs targets");
    }
    if (kind == ChurnKind::kWeightRandom &&
        (churn.min_weight < 1 || churn.max_weight > 10000 || churn.min_weight > churn.max_weight))
      return make_error(what + "needs 1 <= min_weight <= max_weight <= 10000");
    for (const auto& t : churn.targets) {
      if (!paths.count(t)) return make_error("churn target " + t + " is not a cgroup of the plan");
      if ((kind == ChurnKind::kDetachAttach || kind == ChurnKind::kSubtreeKill) &&
          !with_scheduler.count(t))
        return make_error(what + "target " + t + " has no scheduler");
    }
    if (kind == ChurnKind::kDetachAttach) {
      for (const auto& t : churn.targets)
        for (const auto& s : with_scheduler)
          if (s.rfind(t + "/", 0) == 0)
            return make_error(what + "target " + t + " has sub-scheduler " + s +
                              " (only leaf schedulers can be detached and re-attached)");
    }
  }
  return {};
}

}  // namespace scxfarm::agent
