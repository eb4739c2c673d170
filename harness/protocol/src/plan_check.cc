#include "scxfarm/protocol/plan_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "scxfarm/common/text.h"
#include "scxfarm/protocol/plan_tree.h"

namespace scxfarm::protocol {

namespace {

std::string range(uint64_t min, uint64_t max) {
  return "(allowed: " + std::to_string(min) + ".." + std::to_string(max) + ")";
}

// Why NAME is not a valid name, WHAT being "cgroup " or "" (workloads).
std::string name_problem(const std::string& name, const std::string& what) {
  if (name.size() > kMaxNameLength)
    return "'" + name + "' is too long for a " + what + "name (allowed: at most " +
           std::to_string(kMaxNameLength) + " characters)";
  return "'" + name + "' is not a valid " + what + "name (allowed characters: A-Z a-z 0-9 _ -)";
}

std::string field_at(const std::string& parent, std::string_view key) {
  return parent + "." + std::string(key);
}
std::string index_at(const std::string& parent, size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

class Checker {
 public:
  explicit Checker(const ScenarioPlan& plan) : plan_(plan), tree_(plan) {}

  std::vector<PlanProblem> run() {
    check_timing();
    check_cgroups();
    check_workloads();
    for (size_t i = 0; i < plan_.churn.size(); ++i)
      check_churn(plan_.churn[i], index_at("churn", i));
    return std::move(problems_);
  }

 private:
  void problem(std::string field, std::string message) {
    problems_.push_back({std::move(field), std::move(message)});
  }

  void check_timing() {
    // Each is a divisor or a wait of the agent: zero would never end.
    auto positive = [&](const char* field, uint64_t value) {
      if (value == 0) problem(field, "0 is not allowed (allowed: > 0)");
    };
    positive("duration_ms", plan_.duration_ms);
    positive("sample_interval_ms", plan_.sample_interval_ms);
    positive("qmap_stats_interval_s", plan_.qmap_stats_interval_s);
    positive("attach_timeout_ms", plan_.attach_timeout_ms);
    if (plan_.duration_ms > 0 && plan_.settle_ms >= plan_.duration_ms)
      problem("", "settle_ms " + std::to_string(plan_.settle_ms) +
                      " leaves no churn phase (allowed: 0.." +
                      std::to_string(plan_.duration_ms - 1) + ")");
  }

  void check_cgroups() {
    std::set<std::string> paths;
    std::vector<std::string> duplicates;  // a second subtree at a path: checked once, at its root
    for (const auto& cg : tree_.cgroups()) {
      const bool in_duplicate = std::any_of(duplicates.begin(), duplicates.end(), [&](auto& d) {
        return cg.path.rfind(d + "/", 0) == 0;
      });
      if (in_duplicate) continue;
      const std::string name_field = field_at(cg.field, "name");
      if (!is_valid_name(cg.name)) {
        problem(name_field, name_problem(cg.name, "cgroup "));
      } else if (!paths.insert(cg.path).second) {
        duplicates.push_back(cg.path);
        problem(name_field, "'" + cg.name +
                                "' is already used by a sibling (cgroup names are unique among "
                                "siblings)");
      }
      if (cg.depth > kMaxCgroupDepth)
        problem(cg.field, "cgroup nesting depth " + std::to_string(cg.depth) + " is too deep " +
                              range(1, kMaxCgroupDepth));
      if (cg.weight < kMinWeight || cg.weight > kMaxWeight)
        problem(field_at(cg.field, "weight"),
                std::to_string(cg.weight) + " is out of range " + range(kMinWeight, kMaxWeight));
      if (cg.workloads > 0 && !cg.leaf)
        problem(field_at(cg.field, "workloads"),
                "workloads must be in a leaf cgroup, and '" + cg.name +
                    "' has children (cgroup v2 allows no processes in an inner cgroup with "
                    "controllers enabled)");
    }
  }

  void check_workloads() {
    std::map<std::string, std::string> declared;  // name -> where first declared
    for (const auto& w : tree_.workloads()) {
      const std::string name_field = field_at(w.field, "name");
      if (!is_valid_name(w.spec.name)) {
        problem(name_field, name_problem(w.spec.name, ""));
      } else if (auto [it, fresh] = declared.emplace(w.spec.name, w.field); !fresh) {
        problem(name_field, "'" + w.spec.name + "' is already the name of " + it->second +
                                " (workload names are unique in a scenario)");
      }
      if (w.spec.kind == WorkloadKind::kCommand &&
          (w.spec.args.empty() || w.spec.args.front().empty()))
        problem(field_at(w.field, "args"),
                "kind: command needs args (the program and its arguments)");
      // The farm reads bogo-ops/s from stress-ng's metrics rows; without
      // them the run's performance numbers would be missing, found only late.
      const auto& a = w.spec.args;
      if (w.spec.kind == WorkloadKind::kStressNg &&
          std::find(a.begin(), a.end(), "--metrics-brief") == a.end() &&
          std::find(a.begin(), a.end(), "--metrics") == a.end())
        problem(field_at(w.field, "args"),
                "kind: stress-ng needs --metrics-brief or --metrics in args (the farm reads "
                "bogo-ops/s from its metrics rows)");
    }
  }

  void check_churn(const ChurnSpec& churn, const std::string& field) {
    const std::string kind = to_string(churn.kind);
    const std::string targets_field = field_at(field, "targets");
    switch (churn.kind) {
      case ChurnKind::kHotplug:
        if (!churn.targets.empty()) problem(targets_field, "hotplug takes cpus, not targets");
        if (churn.cpus.empty()) problem(field_at(field, "cpus"), "hotplug needs at least one cpu");
        for (size_t k = 0; k < churn.cpus.size(); ++k)
          if (churn.cpus[k] == 0)
            problem(index_at(field_at(field, "cpus"), k),
                    "cpu0 is not hot-pluggable (allowed: 1..nr_cpus-1)");
        break;
      case ChurnKind::kWeightSwap:
      case ChurnKind::kMigrate:
        if (churn.targets.size() != 2)
          problem(targets_field, kind + " needs exactly 2 cgroup paths, got " +
                                     std::to_string(churn.targets.size()));
        break;
      case ChurnKind::kWeightRandom:
      case ChurnKind::kDetachAttach:
      case ChurnKind::kSubtreeKill:
        if (churn.targets.empty()) problem(targets_field, kind + " needs at least one cgroup path");
        break;
    }
    for (size_t j = 0; j < churn.targets.size(); ++j)
      check_target(churn, kind, j, index_at(targets_field, j));
    if (churn.period_ms == 0 && churn.at_ms.empty())
      problem(field_at(field, "period_ms"), "0 is not allowed (allowed: > 0, or at_ms instead)");
    if (churn.kind == ChurnKind::kWeightRandom) {
      for (auto [key, value] :
           {std::pair{"min_weight", churn.min_weight}, std::pair{"max_weight", churn.max_weight}}) {
        if (value < kMinWeight || value > kMaxWeight)
          problem(field_at(field, key),
                  std::to_string(value) + " is out of range " + range(kMinWeight, kMaxWeight));
      }
      if (churn.min_weight > churn.max_weight)
        problem(field, "min_weight " + std::to_string(churn.min_weight) + " > max_weight " +
                           std::to_string(churn.max_weight));
    }
  }

  void check_target(const ChurnSpec& churn, const std::string& kind, size_t j,
                    const std::string& field) {
    const std::string& target = churn.targets[j];
    const PlanCgroup* cg = tree_.cgroup(target);
    const bool needs_scheduler =
        churn.kind == ChurnKind::kDetachAttach || churn.kind == ChurnKind::kSubtreeKill;
    if (!cg) {
      problem(field, "'" + target + "' is not a cgroup of this scenario (cgroups: " +
                         path_listing(tree_.cgroup_paths()) + ")");
    } else if (std::find(churn.targets.begin(), churn.targets.begin() + static_cast<long>(j),
                         target) != churn.targets.begin() + static_cast<long>(j)) {
      problem(field, "'" + target + "' is listed twice");
    } else if (needs_scheduler && !cg->has_scheduler) {
      problem(field, "cgroup '" + target + "' has no scheduler to " + kind +
                         " (cgroups with a scheduler: " + path_listing(tree_.scheduler_cgroups()) +
                         ")");
    } else if (churn.kind == ChurnKind::kDetachAttach) {
      // Only a leaf scheduler comes back by itself: the kernel would evict
      // the sub-schedulers of a detached one.
      const auto subtree = tree_.subtree(scheduler_path(target));
      if (subtree.size() > 1)
        problem(field, "'" + target + "' has a sub-scheduler (" +
                           tree_.scheduler(subtree[1])->cgroup +
                           "): detach-attach takes leaf schedulers only (the kernel would evict "
                           "the subtree)");
    }
  }

  const ScenarioPlan& plan_;
  const PlanTree tree_;
  std::vector<PlanProblem> problems_;
};

}  // namespace

std::vector<PlanProblem> check_plan(const ScenarioPlan& plan) {
  return Checker(plan).run();
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::string path_listing(const std::vector<std::string>& paths) {
  return paths.empty() ? "none" : text::join(paths, ", ");
}

}  // namespace scxfarm::protocol
