// The scenario's `requires:` list (kernelinfo::Feature names), private to
// the loader.
#pragma once

#include <optional>

#include "reader.h"
#include "scxfarm/config/model.h"

namespace scxfarm::config::detail {

// Sets OUT.required_features: the features F names (F: a sequence of
// feature names, or nullopt when the file has no `requires:`) plus the
// implicit ones of OUT.plan (model.h). Reads the plan: call after the cgroups.
void parse_requires(const std::optional<Field>& f, Diagnostics& diag, ScenarioConfig& out);

}  // namespace scxfarm::config::detail
