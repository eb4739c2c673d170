// The rules a plan must follow before anything acts on it, in one place:
// the config loader checks every scenario with them (and points each problem
// at its file:line:col) and the agent checks the plan it received, so a plan
// the host accepts is a plan the agent runs.
//
// What is checked here is the plan itself: names, weights and depths of the
// cgroup tree, workloads in leaves, churn drivers against the tree. How a
// scenario file is written (YAML types, unknown keys, which keys a churn
// kind takes, the qmap flags a scenario may pass) is the loader's business.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::protocol {

struct PlanProblem {
  // Where, as a field path into the plan as a scenario file writes it:
  // "churn[0].targets[1]", "cgroups[1].workloads[0].name"; "" for the plan
  // as a whole.
  std::string field;
  std::string message;  // what is wrong and what is allowed

  // "field: message" (just the message for the whole plan).
  std::string describe() const { return field.empty() ? message : field + ": " + message; }
};

// Every problem of PLAN, in plan order; empty when the plan is good.
std::vector<PlanProblem> check_plan(const ScenarioPlan& plan);

// Cgroup and workload names: [A-Za-z0-9_-], 1..kMaxNameLength characters
// (one safe path component).
bool is_valid_name(std::string_view name);

// How plan problems list paths: "A, A/A1, B", or "none".
std::string path_listing(const std::vector<std::string>& paths);

}  // namespace scxfarm::protocol
