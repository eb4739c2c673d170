// The scenario's `faults:` list (protocol::FaultSpec), private to the loader.
#pragma once

#include "reader.h"
#include "scxfarm/protocol/scenario.h"

namespace scxfarm::config::detail {

// F: a sequence of {kind: panic|hang, at_ms: 0..duration}. Appends to PLAN.faults.
void parse_faults(const Field& f, Diagnostics& diag, protocol::ScenarioPlan& plan);

}  // namespace scxfarm::config::detail
