#include "scxfarm/config/model.h"

namespace scxfarm::config {

std::vector<RunSpec> SuiteConfig::expand() const {
  std::vector<RunSpec> runs;
  runs.reserve(kernels.size() * topologies.size() * scenarios.size() * repeat);
  for (const auto& kernel : kernels) {
    for (const auto& topology : topologies) {
      for (const auto& scenario : scenarios) {
        for (uint32_t i = 0; i < repeat; ++i) runs.push_back({kernel, topology, scenario, i});
      }
    }
  }
  return runs;
}

std::string_view to_string(KernelConfig::Source source) {
  switch (source) {
    case KernelConfig::Source::kDebian:
      return "debian";
    case KernelConfig::Source::kLocal:
      return "local";
  }
  return "?";
}

std::string_view to_string(Accel accel) {
  switch (accel) {
    case Accel::kAuto:
      return "auto";
    case Accel::kKvm:
      return "kvm";
    case Accel::kTcg:
      return "tcg";
  }
  return "?";
}

std::string_view to_string(TcgThreads threads) {
  switch (threads) {
    case TcgThreads::kSingle:
      return "single";
    case TcgThreads::kMulti:
      return "multi";
  }
  return "?";
}

}  // namespace scxfarm::config
