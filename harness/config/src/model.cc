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
  return name_of(kKernelSourceSpellings, source).value_or("?");
}

std::string_view to_string(Accel accel) {
  return name_of(kAccelSpellings, accel).value_or("?");
}

std::string_view to_string(TcgThreads threads) {
  return name_of(kTcgThreadsSpellings, threads).value_or("?");
}

}  // namespace scxfarm::config
