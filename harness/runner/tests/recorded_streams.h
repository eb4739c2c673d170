// Replaying a recorded agent stream (samples.jsonl) through the host's
// analysis, as the executor does: the scenario's plan, RunAnalyzer, then
// check_expectations. Shared by the recorded-stream tests and the
// stream_replay developer tool.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scxfarm/config/loader.h"
#include "scxfarm/runner/analyzer.h"

namespace scxfarm::runner::recorded {

inline const std::filesystem::path kSource = SCXFARM_SOURCE_DIR;

// Every message of a samples.jsonl file (lines that are not JSON objects are skipped).
inline std::vector<nlohmann::json> load_stream_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));
  return out;
}

// The trimmed stream recorded from SCENARIO (testdata/streams/SCENARIO.jsonl).
inline std::vector<nlohmann::json> load_stream(const std::string& scenario) {
  return load_stream_file(kSource / "harness/runner/tests/testdata/streams" /
                          (scenario + ".jsonl"));
}

struct Replay {
  Result<config::ScenarioConfig> scenario = Error{"not loaded"};
  results::RunSummary summary;
  std::vector<results::Failure> failures;
};

// STREAM analysed under configs/scenarios/SCENARIO.yaml; summary.failures
// holds the failures too, and the agent's verdict is copied in as the
// executor does.
inline Replay replay(const std::string& scenario, const std::vector<nlohmann::json>& stream) {
  Replay r;
  r.scenario = config::load_scenario(kSource / "configs/scenarios" / (scenario + ".yaml"));
  RunAnalyzer an(r.scenario.ok() ? r.scenario->plan : protocol::ScenarioPlan{});
  for (const auto& m : stream) an.on_message({m.value("type", ""), m});
  if (an.verdict()) {
    r.summary.agent_outcome = protocol::to_string(an.verdict()->outcome);
    r.summary.agent_reason = an.verdict()->reason;
  }
  an.fill(r.summary);
  if (r.scenario.ok()) r.failures = check_expectations(*r.scenario, r.summary);
  r.summary.failures = r.failures;
  return r;
}

// The failures' lines, one each (cut at 400 characters).
inline std::string all(const std::vector<results::Failure>& failures) {
  std::string out;
  for (const auto& f : failures) out += f.text.substr(0, 400) + "\n";
  return out;
}

}  // namespace scxfarm::runner::recorded
