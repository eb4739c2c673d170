// Developer tool (ctest label dev, never run by ci/test.sh): replays any
// recorded agent stream through the host's analysis and prints what the host
// derives: the delegation block, every failed check, and the outcome the
// executor would decide (console.log beside the stream is read too).
//   stream_replay RUN_DIR/samples.jsonl SCENARIO
//   SCXFARM_REPLAY=RUN_DIR/samples.jsonl SCXFARM_REPLAY_SCENARIO=SCENARIO ctest -L dev -V
// Exit status: 0 the host would pass the run, 1 it would not, 2 usage.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "recorded_streams.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/runner/executor.h"

int main(int argc, char** argv) {
  using namespace scxfarm;
  const char* file = argc == 3 ? argv[1] : std::getenv("SCXFARM_REPLAY");
  const char* scenario = argc == 3 ? argv[2] : std::getenv("SCXFARM_REPLAY_SCENARIO");
  if (!file || !scenario) {
    std::fprintf(stderr,
                 "usage: stream_replay SAMPLES.jsonl SCENARIO\n"
                 "   or: SCXFARM_REPLAY=SAMPLES.jsonl SCXFARM_REPLAY_SCENARIO=SCENARIO "
                 "ctest -L dev -V\n");
    return 2;
  }
  const std::filesystem::path stream_path = file;
  if (!std::filesystem::exists(stream_path)) {
    std::fprintf(stderr, "stream_replay: no stream at %s\n", file);
    return 2;
  }
  auto r = runner::recorded::replay(scenario, runner::recorded::load_stream_file(stream_path));
  if (!r.scenario.ok()) {
    std::fprintf(stderr, "stream_replay: %s\n", r.scenario.error().message.c_str());
    return 2;
  }
  auto console = read_file(stream_path.parent_path() / "console.log");
  const runner::ConsoleFindings findings = runner::inspect_console(console ? *console : "");
  runner::add_console_failures(findings, r.summary);
  runner::SessionResult session;
  session.end = runner::SessionResult::End::kCompleted;
  session.hello_seconds = 1;
  runner::decide_outcome(session, findings, true, r.summary);
  std::cout << nlohmann::json(r.summary.delegation).dump(1) << "\n"
            << runner::recorded::all(r.summary.failures) << "agent: " << r.summary.agent_outcome
            << ": " << r.summary.agent_reason << "\n"
            << "host: " << results::to_string(r.summary.outcome) << ": " << r.summary.reason
            << "\n";
  return r.summary.outcome == results::Outcome::kPass ? 0 : 1;
}
