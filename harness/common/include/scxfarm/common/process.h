// Child processes from argv vectors. Nothing here goes through a shell: a
// config value can never become shell syntax.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"

namespace scxfarm {

struct SpawnOptions {
  // Where stdout and stderr go; unset = inherit the harness's.
  std::optional<std::filesystem::path> output_file;
  // Appended to the environment, "NAME=value".
  std::vector<std::string> extra_env;
};

// How a child ended.
struct ExitStatus {
  bool exited = false;  // normal exit (code valid) vs killed by a signal
  int code = 0;         // exit code when exited
  int signal = 0;       // terminating signal otherwise
  bool success() const { return exited && code == 0; }
  std::string describe() const;
};

class Process {
 public:
  static Result<Process> spawn(const std::vector<std::string>& argv,
                               const SpawnOptions& options = {});

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Kills (SIGKILL) and reaps a child still running: no orphaned QEMU.
  ~Process();

  pid_t pid() const { return pid_; }
  // Non-blocking: the status if the child has ended.
  std::optional<ExitStatus> poll();
  // Blocks up to TIMEOUT; nullopt if still running.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  ExitStatus wait();
  void signal(int sig);

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

struct CommandOutput {
  ExitStatus status;
  std::string output;  // stdout and stderr interleaved
  bool timed_out = false;
  bool stopped = false;  // killed because STOP_WHEN held (see run_command)
};

// Called with all output so far after each read; true = the command has said
// what the caller needed, kill it now instead of waiting for its end.
using StopWhen = std::function<bool(std::string_view output)>;

// Runs ARGV to completion, capturing its output; kills it after TIMEOUT, or
// as soon as STOP_WHEN (when given) holds.
Result<CommandOutput> run_command(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout,
                                  const StopWhen& stop_when = nullptr);

// PROGRAM as posix_spawnp finds it: itself when it contains a '/', else the
// first executable PATH entry named so ($PATH, default /usr/bin:/bin);
// nullopt when there is none.
std::optional<std::filesystem::path> find_program(const std::string& program);

}  // namespace scxfarm
