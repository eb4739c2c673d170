// The agent's record of one child process (a qmap or a workload), and the
// child's output pipe as an event source: what it prints is kept (a tail
// for exit reports) and handed on line by line.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "event_loop.h"
#include "scxfarm/protocol/messages.h"
#include "scxfarm/telemetry/hier.h"
#include "sys_io.h"

namespace scxfarm::agent {

struct ChildProcess : EventSource {
  using LineHandler = std::function<void(ChildProcess&, const std::string&)>;
  explicit ChildProcess(LineHandler on_line) : on_line(std::move(on_line)) {}
  ~ChildProcess() override;  // closes the pipe if still open
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The output pipe, while open.
  int fd() const override { return out_fd; }
  void on_ready(short) override { drain(); }
  // Reads what the pipe holds now, line by line to on_line; at EOF closes
  // it (a last line without its newline counts).
  void drain();

  LineHandler on_line;
  bool is_scheduler = false;
  std::string name;  // scheduler path or workload name
  protocol::WorkloadKind kind = protocol::WorkloadKind::kCommand;  // workloads
  std::string cgroup;
  pid_t pid = -1;
  int out_fd = -1;
  protocol::LineBuffer lines;
  OutputTail tail{4096};
  uint64_t start_ms = 0;
  bool exited = false;
  int exit_code = 0;
  bool stop_requested = false;  // the agent signalled it
  bool attach_failed = false;   // stopped because it never attached
  bool reported = false;        // SchedulerExited / WorkloadDone sent
  std::filesystem::path sysfs_dir;
  uint64_t cgroup_id = 0;
  std::vector<std::string> argv;  // schedulers: to start it again (detach-attach)
  // SchedulerExited.cause when stop_requested.
  protocol::ExitCause stop_cause = protocol::ExitCause::kTeardown;
  // Schedulers: qmap's hier lines, parsed as the host parses them, so the
  // agent can await events (a re-attach's first line, a settled interval).
  telemetry::HierParser hier;
  uint64_t hier_lines = 0;          // of the current instance
  uint64_t last_interval_t_ms = 0;  // stream time its last interval completed
  bool interval_seen = false;       // last_interval_t_ms is set
};

}  // namespace scxfarm::agent
