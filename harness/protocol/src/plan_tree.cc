#include "scxfarm/protocol/plan_tree.h"

namespace scxfarm::protocol {

PlanTree::PlanTree(const ScenarioPlan& plan) {
  const std::string root = scheduler_path("");
  schedulers_.push_back({root, "", "", 0, plan.root_scheduler.qmap_args});
  walk(plan.cgroups, "cgroups", "", 1, root, 1);
}

void PlanTree::walk(const std::vector<CgroupSpec>& cgroups, const std::string& field,
                    const std::string& parent_path, uint32_t depth,
                    const std::string& parent_scheduler, uint32_t sched_depth) {
  for (size_t i = 0; i < cgroups.size(); ++i) {
    const CgroupSpec& cg = cgroups[i];
    PlanCgroup node;
    node.name = cg.name;
    node.path = parent_path.empty() ? cg.name : parent_path + "/" + cg.name;
    node.parent = parent_path;
    node.field = field + "[" + std::to_string(i) + "]";
    node.depth = depth;
    node.weight = cg.weight;
    node.leaf = cg.children.empty();
    node.has_scheduler = cg.has_scheduler;
    node.workloads = cg.workloads.size();
    for (size_t w = 0; w < cg.workloads.size(); ++w)
      workloads_.push_back(
          {cg.workloads[w], node.path, node.field + ".workloads[" + std::to_string(w) + "]"});
    std::string scheduler_for_children = parent_scheduler;
    uint32_t child_sched_depth = sched_depth;
    if (cg.has_scheduler) {
      scheduler_for_children = scheduler_path(node.path);
      schedulers_.push_back({scheduler_for_children, node.path, parent_scheduler, sched_depth,
                             cg.scheduler.qmap_args});
      ++child_sched_depth;
    }
    const std::string path = node.path, children_field = node.field + ".children";
    cgroups_.push_back(std::move(node));
    walk(cg.children, children_field, path, depth + 1, scheduler_for_children, child_sched_depth);
  }
}

const PlanCgroup* PlanTree::cgroup(std::string_view path) const {
  for (const auto& c : cgroups_)
    if (c.path == path) return &c;
  return nullptr;
}

const PlanScheduler* PlanTree::scheduler(std::string_view path) const {
  for (const auto& s : schedulers_)
    if (s.path == path) return &s;
  return nullptr;
}

std::vector<std::string> PlanTree::subtree(std::string_view path) const {
  std::vector<std::string> out;
  for (const auto& s : schedulers_) {
    // Pre-order: the subtree is PATH and what follows it while the parent
    // chain leads back to something already taken.
    if (s.path == path) {
      out.push_back(s.path);
    } else if (!out.empty()) {
      bool below = false;
      for (const auto& taken : out) below |= s.parent == taken;
      if (!below) break;
      out.push_back(s.path);
    }
  }
  return out;
}

std::vector<std::string> PlanTree::cgroup_paths() const {
  std::vector<std::string> out;
  for (const auto& c : cgroups_) out.push_back(c.path);
  return out;
}

std::vector<std::string> PlanTree::scheduler_cgroups() const {
  std::vector<std::string> out;
  for (const auto& s : schedulers_)
    if (!s.cgroup.empty()) out.push_back(s.cgroup);
  return out;
}

}  // namespace scxfarm::protocol
