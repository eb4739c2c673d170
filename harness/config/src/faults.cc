#include "faults.h"

namespace scxfarm::config::detail {

void parse_faults(const Field& f, Diagnostics& diag, protocol::ScenarioPlan& plan) {
  for (const auto& item : as_sequence(f, diag).value_or(std::vector<Field>{})) {
    FieldReader r(item, diag);
    protocol::FaultSpec fault;
    if (auto kind = r.require("kind")) {
      if (auto s = as_string(*kind, diag)) {
        if (*s != "panic" && *s != "hang") {
          diag.error(kind->mark, kind->path,
                     "'" + *s + "' is not a fault kind (allowed: panic, hang)");
        }
        fault.kind = *s;
      }
    }
    // ms since the start of the churn phase; it must fall inside the run.
    r.read("at_ms", fault.at_ms, 0, 86400000);  // default 0
    if (fault.at_ms >= plan.duration_ms) {
      diag.error(item.mark, item.path,
                 "at_ms " + std::to_string(fault.at_ms) + " never fires (allowed: 0.." +
                     std::to_string(plan.duration_ms - 1) + ", within duration_s)");
    }
    r.finish();
    plan.faults.push_back(std::move(fault));
  }
}

}  // namespace scxfarm::config::detail
