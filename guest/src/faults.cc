#include "faults.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace scxfarm::agent {

namespace {

void sleep_ms(uint32_t ms) {
  timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1'000'000L};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// In the forked helper: only async-signal-safe calls, then _exit.
[[noreturn]] void fire(const protocol::FaultSpec& fault, const FaultTargets& targets, int agent) {
  sleep_ms(fault.at_ms);
  if (fault.kind == "panic") {
    const int fd = ::open(targets.sysrq_trigger.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      (void)!::write(fd, "c", 1);
      ::close(fd);
    }
  } else if (fault.kind == "hang") {
    ::kill(agent, SIGSTOP);
  }
  ::_exit(0);
}

}  // namespace

std::vector<int> arm_faults(const std::vector<protocol::FaultSpec>& faults,
                            const std::function<void(const std::string&)>& log,
                            const FaultTargets& targets) {
  std::vector<int> helpers;
  const int agent = targets.agent_pid > 0 ? targets.agent_pid : ::getpid();
  for (const auto& fault : faults) {
    if (fault.kind != "panic" && fault.kind != "hang") {
      log("unknown fault kind '" + fault.kind + "' ignored (known: panic, hang)");
      continue;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      log(std::string("cannot arm fault ") + fault.kind + ": fork: " + std::strerror(errno));
      continue;
    }
    if (pid == 0) fire(fault, targets, agent);
    helpers.push_back(pid);
    log("fault " + fault.kind + " armed: fires in " + std::to_string(fault.at_ms) +
        " ms (helper pid " + std::to_string(pid) + ")");
  }
  return helpers;
}

}  // namespace scxfarm::agent
