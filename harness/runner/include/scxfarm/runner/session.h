// The host end of the control channel for one run: wait for the agent's
// hello, send the plan, then record every message (verbatim, to the run's
// samples.jsonl, as it arrives: nothing is lost if the run dies) until the
// verdict, the VM's exit, a closed channel, or a deadline.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include "scxfarm/protocol/scenario.h"
#include "scxfarm/runner/analyzer.h"
#include "scxfarm/vm/backend.h"
#include "scxfarm/vm/timeouts.h"

namespace scxfarm::runner {

struct SessionResult {
  enum class End {
    kCompleted,        // verdict received
    kHelloTimeout,     // the agent never said hello
    kScenarioTimeout,  // no verdict in time
    kChannelClosed,    // the channel closed while the VM still ran
    kVmExited,         // the VM ended before the verdict
    kNoOutput,         // the agent went silent mid-scenario (Timeouts::no_output)
    kInfra,            // could not talk to the VM at all
  };
  End end = End::kInfra;
  std::string detail;
  double hello_seconds = 0;     // VM start -> hello
  double scenario_seconds = 0;  // run sent -> verdict
};

using ProgressFn = std::function<void(const std::string&)>;

class HostSession {
 public:
  HostSession(vm::Instance& instance, int control_fd, std::filesystem::path stream_path,
              RunAnalyzer& analyzer, ProgressFn progress);

  SessionResult run(const protocol::ScenarioPlan& plan, const vm::Timeouts& timeouts,
                    std::chrono::steady_clock::time_point vm_started);

  // After the verdict: keep reading until the VM exits (it powers itself
  // off) or TIMEOUT passes. Returns whether it exited by itself.
  bool drain_until_exit(std::chrono::milliseconds timeout);

  // What the agent reported of the guest's topology (right after hello).
  const std::optional<protocol::TopologySeen>& topology_seen() const { return topology_seen_; }

 private:
  enum class ReadResult { kData, kIdle, kClosed };
  ReadResult read_some(std::chrono::milliseconds wait);
  void handle_line(const std::string& line);
  bool send_line(const std::string& line);

  vm::Instance& instance_;
  int fd_;
  std::ofstream stream_;
  RunAnalyzer& analyzer_;
  ProgressFn progress_;
  protocol::LineBuffer buffer_;
  bool closed_ = false;
  std::optional<protocol::TopologySeen> topology_seen_;
  std::chrono::steady_clock::time_point last_message_ = std::chrono::steady_clock::now();
};

}  // namespace scxfarm::runner
