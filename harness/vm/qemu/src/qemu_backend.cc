#include "scxfarm/vm/qemu/qemu_backend.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "scxfarm/common/fs.h"
#include "scxfarm/telemetry/cid_set.h"

namespace fs = std::filesystem;

namespace scxfarm::vm {

namespace {

class QemuInstance : public Instance {
 public:
  QemuInstance(MachineSpec spec, std::vector<std::string> argv)
      : spec_(std::move(spec)), argv_(std::move(argv)) {}
  ~QemuInstance() override {
    if (control_fd_ >= 0) ::close(control_fd_);
    kill();
    std::error_code ec;
    fs::remove(spec_.control_socket, ec);
  }

  Status start() override {
    std::error_code ec;
    fs::remove(spec_.control_socket, ec);
    // QEMU's own stderr (bad options, KVM aborts) goes next to the console.
    auto proc =
        Process::spawn(argv_, SpawnOptions{.output_file = spec_.console_log.string() + ".qemu"});
    if (!proc) return proc.error().context("starting QEMU");
    process_.emplace(std::move(*proc));
    return {};
  }

  Result<int> connect_control(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string path = spec_.control_socket.string();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path))
      return make_error("control socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    for (;;) {
      if (auto st = poll_exit())
        return make_error("QEMU exited before the control channel opened (" + st->describe() + ")");
      int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) return make_error(std::string("socket: ") + std::strerror(errno));
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
        control_fd_ = fd;
        return fd;
      }
      ::close(fd);
      if (std::chrono::steady_clock::now() >= deadline)
        return make_error("control socket " + path + " did not accept within " +
                          std::to_string(timeout.count()) + " ms");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::optional<ExitStatus> poll_exit() override {
    return process_ ? process_->poll() : std::nullopt;
  }
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout) override {
    return process_ ? process_->wait_for(timeout) : std::nullopt;
  }
  void kill() override {
    if (process_ && !process_->poll()) {
      process_->signal(SIGKILL);
      process_->wait();
    }
  }
  int pid() const override { return process_ ? static_cast<int>(process_->pid()) : -1; }
  fs::path console_path() const override { return spec_.console_log; }
  std::vector<std::string> command_line() const override { return argv_; }

 private:
  MachineSpec spec_;
  std::vector<std::string> argv_;
  std::optional<Process> process_;
  int control_fd_ = -1;
};

}  // namespace

QemuBackend::QemuBackend(std::string qemu_binary) : qemu_binary_(std::move(qemu_binary)) {}

namespace {

// PROGRAM as exec would find it: a path, or a name searched in $PATH.
bool program_exists(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<Instance>> QemuBackend::create(const MachineSpec& spec) {
  if (!program_exists(qemu_binary_))
    return make_error("QEMU missing: " + qemu_binary_ + " is not an executable in $PATH");
  if (!fs::exists(spec.kernel)) return make_error("kernel image missing: " + spec.kernel.string());
  if (!fs::exists(spec.initramfs))
    return make_error("initramfs missing: " + spec.initramfs.string());
  std::vector<std::string> argv = qemu_argv(spec, qemu_binary_);
  if (!spec.pin_cpus.empty()) {
    // taskset sets the affinity and execs QEMU (same pid): every thread QEMU
    // creates, vCPU threads included, inherits it.
    if (!program_exists("taskset"))
      return make_error("taskset missing (util-linux): cannot pin QEMU");
    argv.insert(argv.begin(), {"taskset", "-c", telemetry::CidSet::of(spec.pin_cpus).to_string()});
  }
  return std::unique_ptr<Instance>(new QemuInstance(spec, std::move(argv)));
}

AccelChoice probe_accel(const std::string& qemu_binary, const fs::path& kernel,
                        std::chrono::milliseconds timeout) {
  if (::access("/dev/kvm", R_OK | W_OK) != 0)
    return {AccelKind::kTcg, std::string("/dev/kvm not usable: ") + std::strerror(errno)};
  char dir_template[] = "/tmp/scxfarm-kvm-probe.XXXXXX";
  if (!::mkdtemp(dir_template)) return {AccelKind::kTcg, "cannot create probe directory"};
  const fs::path dir = dir_template;
  const fs::path console = dir / "console.log";
  // clang-format off
  std::vector<std::string> argv = {qemu_binary, "-machine", "q35", "-accel", "kvm", "-cpu", "host",
                                   "-m", "256M", "-smp", "1", "-kernel", kernel.string(),
                                   "-append", "console=ttyS0 panic=-1", "-display", "none",
                                   "-nodefaults", "-nic", "none", "-no-reboot", "-chardev",
                                   "file,id=console,path=" + qemu_escape(console.string()),
                                   "-serial", "chardev:console"};
  // clang-format on
  auto result = run_command(argv, timeout);
  auto text = read_file(console);
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!result)
    return {AccelKind::kTcg, "KVM probe could not start QEMU: " + result.error().message};
  const bool banner = text && text->find("Linux version") != std::string::npos;
  if (banner && result->status.success()) return {AccelKind::kKvm, "KVM probe boot succeeded"};
  std::string why = result->timed_out ? "timed out" : result->status.describe();
  std::string first_line = result->output.substr(0, result->output.find('\n'));
  if (!first_line.empty()) why += ": " + first_line;
  return {AccelKind::kTcg, "KVM probe boot failed (" + why + "); using TCG"};
}

}  // namespace scxfarm::vm
