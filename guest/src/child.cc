#include "child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace scxfarm::agent {
namespace {

struct ChildFailure {
  int stage;  // 1 = cgroup move, 2 = exec, 3 = setup
  int err;
};

[[noreturn]] void fail(int report_fd, int stage) {
  ChildFailure f{stage, errno};
  ssize_t ignored = ::write(report_fd, &f, sizeof f);
  (void)ignored;
  ::_exit(127);
}

}  // namespace

int exit_code_from_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return -WTERMSIG(wait_status);
  return -1;
}

Result<SpawnedChild> spawn_child(const SpawnSpec& spec) {
  if (spec.argv.empty()) return make_error("spawn: empty argv");
  // Everything the child touches is prepared before fork: after fork only
  // async-signal-safe calls.
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string procs =
      spec.cgroup_dir.empty() ? "" : (spec.cgroup_dir / "cgroup.procs").string();

  int out[2], report[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return make_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(report, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(out[0]);
    ::close(out[1]);
    return make_error(std::string("pipe: ") + std::strerror(err));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    for (int fd : {out[0], out[1], report[0], report[1]}) ::close(fd);
    return make_error(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_DFL);
    if (spec.own_process_group) ::setpgid(0, 0);
    if (!procs.empty()) {
      const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || ::write(fd, "0", 1) != 1) fail(report[1], 1);
      ::close(fd);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    if (::dup2(out[1], 1) < 0 || ::dup2(out[1], 2) < 0) fail(report[1], 3);
    ::execvp(argv[0], argv.data());
    fail(report[1], 2);
  }
  ::close(out[1]);
  ::close(report[1]);
  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report[0], &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    ::close(out[0]);
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const char* what = failure.stage == 1 ? "move into " : failure.stage == 2 ? "exec " : "set up ";
    const std::string object = failure.stage == 1 ? procs : spec.argv[0];
    return make_error(std::string(what) + object + ": " + std::strerror(failure.err));
  }
  ::fcntl(out[0], F_SETFL, ::fcntl(out[0], F_GETFL) | O_NONBLOCK);
  return SpawnedChild{pid, out[0]};
}

}  // namespace scxfarm::agent
