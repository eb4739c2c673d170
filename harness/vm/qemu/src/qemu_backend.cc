#include "scxfarm/vm/qemu/qemu_backend.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/text.h"
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

Result<std::unique_ptr<Instance>> QemuBackend::create(const MachineSpec& spec) {
  if (!find_program(qemu_binary_))
    return make_error("QEMU missing: " + qemu_binary_ + " is not an executable in $PATH");
  if (!fs::exists(spec.kernel)) return make_error("kernel image missing: " + spec.kernel.string());
  if (!fs::exists(spec.initramfs))
    return make_error("initramfs missing: " + spec.initramfs.string());
  std::vector<std::string> argv = qemu_argv(spec, qemu_binary_);
  if (!spec.pin_cpus.empty()) {
    // taskset sets the affinity and execs QEMU (same pid): every thread QEMU
    // creates, vCPU threads included, inherits it.
    if (!find_program("taskset"))
      return make_error("taskset missing (util-linux): cannot pin QEMU");
    argv.insert(argv.begin(), {"taskset", "-c", telemetry::CidSet::of(spec.pin_cpus).to_string()});
  }
  return std::unique_ptr<Instance>(new QemuInstance(spec, std::move(argv)));
}

namespace {

// What the probe watches for in QEMU's output.
constexpr std::string_view kKvmInternalError = "KVM internal error";
constexpr std::string_view kKernelBanner = "Linux version";
constexpr std::string_view kRootMountPanic = "Kernel panic - not syncing";

// The complete line of OUTPUT holding MARKER (after FROM), if there is one.
std::optional<std::string_view> complete_line_with(std::string_view output, std::string_view marker,
                                                   size_t from = 0) {
  const size_t at = output.find(marker, from);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t end = output.find('\n', at);
  if (end == std::string_view::npos) return std::nullopt;
  const size_t start = output.rfind('\n', at);
  const size_t begin = start == std::string_view::npos ? 0 : start + 1;
  return text::trim(output.substr(begin, end - begin));
}

bool reached_root_mount_panic(std::string_view output) {
  const size_t banner = output.find(kKernelBanner);
  return banner != std::string_view::npos &&
         complete_line_with(output, kRootMountPanic, banner).has_value();
}

// QEMU's own word on a failed probe: its "KVM internal error" line, else its
// first error line (QEMU prefixes those with its name, qemu-system-<arch>).
std::string qemu_message(std::string_view output) {
  if (auto line = complete_line_with(output, kKvmInternalError)) return std::string(*line);
  std::string message;
  text::for_each_line(output, [&](size_t, std::string_view line) {
    if (message.empty() && line.substr(0, 4) == "qemu") message = std::string(text::trim(line));
  });
  return message;
}

}  // namespace

bool kvm_probe_decided(std::string_view output) {
  return complete_line_with(output, kKvmInternalError).has_value() ||
         reached_root_mount_panic(output);
}

AccelProbeResult read_kvm_probe(const CommandOutput& run, std::chrono::milliseconds timeout) {
  const bool internal_error = complete_line_with(run.output, kKvmInternalError).has_value();
  const bool banner = run.output.find(kKernelBanner) != std::string::npos;
  if (!internal_error && (reached_root_mount_panic(run.output) || (banner && run.status.success())))
    return {{AccelKind::kKvm, "KVM probe boot succeeded"}, true};
  // The guest stopped: QEMU's line is the whole story (the probe killed it).
  std::string why = internal_error  ? ""
                    : run.timed_out ? fmt::format("timed out after {:.1f} s",
                                                  std::chrono::duration<double>(timeout).count())
                                    : run.status.describe();
  if (const std::string message = qemu_message(run.output); !message.empty())
    why += (why.empty() ? "" : ": ") + message;
  return {{AccelKind::kTcg, "KVM probe boot failed (" + why + "); using TCG"}, true};
}

AccelProbeResult probe_accel(const std::string& qemu_binary, const fs::path& kernel,
                             std::chrono::milliseconds timeout) {
  if (::access("/dev/kvm", R_OK | W_OK) != 0)
    return {{AccelKind::kTcg, std::string("/dev/kvm not usable: ") + std::strerror(errno)}, true};
  // The console on stdout, beside QEMU's stderr, so one reader sees both.
  // clang-format off
  const std::vector<std::string> argv = {qemu_binary, "-machine", "q35", "-accel", "kvm",
                                         "-cpu", "host", "-m", "256M", "-smp", "1",
                                         "-kernel", kernel.string(),
                                         "-append", "console=ttyS0 panic=-1", "-display", "none",
                                         "-nodefaults", "-nic", "none", "-no-reboot",
                                         "-serial", "stdio"};
  // clang-format on
  auto run = run_command(argv, timeout, kvm_probe_decided);
  if (!run)
    return {{AccelKind::kTcg, "KVM probe could not start QEMU: " + run.error().message}, false};
  return read_kvm_probe(*run, timeout);
}

}  // namespace scxfarm::vm
