#include "commands.h"

namespace scxfarm::agent {

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

}  // namespace scxfarm::agent
