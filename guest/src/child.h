// Spawning the agent's children (qmaps and workloads) from argv vectors,
// optionally moving the child into a cgroup between fork and exec, with
// stdout+stderr on a non-blocking pipe. Failures before exec (the cgroup
// move, exec itself) are reported to the parent through a close-on-exec
// pipe, so a missing program is an error here and not a mystery exit 127.
//
// (scxfarm::Process from harness/common cannot move a child into a cgroup
// before exec nor hand back a pipe, and the agent does not link common.)
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"

namespace scxfarm::agent {

struct SpawnedChild {
  pid_t pid = -1;
  int output_fd = -1;  // read end: non-blocking, close-on-exec
};

struct SpawnSpec {
  std::vector<std::string> argv;     // argv[0] looked up in PATH
  std::filesystem::path cgroup_dir;  // empty: stay in the agent's cgroup
  bool own_process_group = false;    // so a stop signal reaches its helpers
};

Result<SpawnedChild> spawn_child(const SpawnSpec& spec);

// -signal when killed by a signal, else the exit code.
int exit_code_from_status(int wait_status);

}  // namespace scxfarm::agent
