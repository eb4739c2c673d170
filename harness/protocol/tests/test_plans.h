// Plans shared by the protocol's unit tests.
#pragma once

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::protocol::testing {

// The smoke plan: root qmap; A (200, qmap) -> A1 (qmap, stress-ng);
// B (100, qmap, stress-ng); weight-swap A,B every 500 ms.
inline ScenarioPlan smoke_plan() {
  ScenarioPlan plan;
  plan.name = "smoke";
  CgroupSpec a1{
      "A1", 100, true, {}, {{"A1-cpu", WorkloadKind::kStressNg, {"--cpu", "4", "--metrics-brief"}}},
      {}};
  CgroupSpec a{"A", 200, true, {}, {}, {a1}};
  CgroupSpec b{
      "B", 100, true, {}, {{"B-cpu", WorkloadKind::kStressNg, {"--cpu", "4", "--metrics-brief"}}},
      {}};
  plan.cgroups = {a, b};
  plan.churn = {{ChurnKind::kWeightSwap, {"A", "B"}, 500}};
  return plan;
}

}  // namespace scxfarm::protocol::testing
