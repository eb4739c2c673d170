// scxfarm-agent: runs as a child of the initramfs /init inside the test VM.
// Finds the control port, runs one scenario for the host, then powers the
// VM off. See agent.h.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "agent.h"

namespace {

using namespace scxfarm::agent;

// Virtio ports are probed before /init runs, but udev-less /dev (devtmpfs)
// can lag a moment: retry the lookup briefly.
int open_port(const Paths& paths, const std::string& name) {
  std::string last_error;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto dev = find_port(paths.virtio_ports, paths.dev, name);
    if (dev) {
      const int fd = ::open(dev->c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd >= 0) {
        std::fprintf(stderr, "[scxfarm-agent] control port %s is %s\n", name.c_str(), dev->c_str());
        return fd;
      }
      last_error = dev->string() + ": " + std::strerror(errno);
    } else {
      last_error = dev.error().message;
    }
    ::usleep(100'000);
  }
  std::fprintf(stderr, "[scxfarm-agent] no control port: %s\n", last_error.c_str());
  return -1;
}

int run_agent(bool& in_guest) {
  Paths paths;
  AgentOptions options;
  if (auto cmdline = read_text(paths.proc / "cmdline", 65536)) options = parse_cmdline(*cmdline);
  if (options.port_name.empty())
    options.port_name = std::string(scxfarm::protocol::kControlPortName);
  const int fd = open_port(paths, options.port_name);
  if (fd < 0) return 2;
  in_guest = true;  // a named scxfarm control port: this is the test VM
  Agent agent(paths, options, fd);
  return agent.run() == scxfarm::protocol::AgentOutcome::kPass ? 0 : 1;
}

}  // namespace

int main() {
  ::signal(SIGPIPE, SIG_IGN);
  ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
  // Workload helpers orphaned by their parent are reparented to (and reaped
  // by) the agent rather than the init shell.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);

  // The agent measures the system under test: as a low SCHED_FIFO task it
  // is not scheduled by the qmaps it watches (sched_ext runs below the RT
  // class), so its sample and churn deadlines hold while stress-ng saturates
  // every cpu. RESET_ON_FORK: qmaps and workloads start as SCHED_NORMAL.
  sched_param rt{};
  rt.sched_priority = 1;
  const bool realtime = ::sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &rt) == 0;
  std::fprintf(stderr, "[scxfarm-agent] SCHED_FIFO: %s\n", realtime ? "yes" : std::strerror(errno));

  bool in_guest = false;
  int rc = 3;
  try {
    rc = run_agent(in_guest);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "[scxfarm-agent] fatal: %s\n", e.what());
  }
  ::sync();
  // Power off only inside the VM: started by /init (our parent is pid 1)
  // and with the control port present. Never on a developer's machine.
  if (in_guest && (::getppid() == 1 || ::getpid() == 1) &&
      !std::getenv("SCXFARM_AGENT_NO_POWEROFF")) {
    ::reboot(RB_POWER_OFF);
    std::fprintf(stderr, "[scxfarm-agent] reboot(RB_POWER_OFF): %s\n", std::strerror(errno));
  }
  return rc;
}
