#include "scxfarm/vm/fake/fake_backend.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <thread>

#include "scxfarm/protocol/contract.h"

namespace scxfarm::vm {

namespace {

class FakeInstance : public Instance {
 public:
  FakeInstance(FakeBackend& backend, size_t index, MachineSpec spec, FakeScript script)
      : backend_(backend), index_(index), spec_(std::move(spec)), script_(std::move(script)) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0) {
      host_fd_ = fds[0];
      guest_fd_ = fds[1];
    }
  }
  ~FakeInstance() override {
    kill();
    if (thread_.joinable()) thread_.join();
    if (host_fd_ >= 0) ::close(host_fd_);
    close_guest();
  }

  Status start() override {
    if (!script_.start_error.empty()) return make_error(script_.start_error);
    started_ = true;
    backend_.on_start(index_);
    thread_ = std::thread([this] { play(); });
    return {};
  }
  Result<int> connect_control(std::chrono::milliseconds) override {
    if (host_fd_ < 0) return make_error("fake: socketpair failed");
    return host_fd_;
  }
  std::optional<ExitStatus> poll_exit() override {
    std::lock_guard lock(mu_);
    return status_;
  }
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return status_.has_value(); });
    return status_;
  }
  void kill() override {
    std::lock_guard lock(mu_);
    killed_ = true;
    if (!status_) end_locked(ExitStatus{false, 0, 9});
    cv_.notify_all();
  }
  std::filesystem::path console_path() const override { return spec_.console_log; }
  std::vector<std::string> command_line() const override {
    return {"fake-vm", spec_.topology.name};
  }

 private:
  void end_locked(ExitStatus status) {
    status_ = status;
    if (started_) backend_.on_end(index_);
  }
  void exit_vm(ExitStatus status) {
    close_guest();
    std::lock_guard lock(mu_);
    if (!status_) end_locked(status);
    cv_.notify_all();
  }
  void close_guest() {
    std::lock_guard lock(fd_mu_);
    if (guest_fd_ >= 0) ::close(guest_fd_);
    guest_fd_ = -1;
  }
  // Sleeps up to D; false when the VM was killed meanwhile.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [&] { return killed_ || status_.has_value(); });
  }
  void wait_for_kill() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return killed_; });
  }
  void console(const std::string& text, bool append) {
    std::ofstream out(spec_.console_log, append ? std::ios::app : std::ios::trunc);
    out << text;
  }
  template <typename T>
  void send(const T& message) {
    const std::string line = protocol::encode(message) + "\n";
    std::lock_guard lock(fd_mu_);
    if (guest_fd_ >= 0) (void)!::write(guest_fd_, line.data(), line.size());
  }
  // Waits for one line from the host (the run request); false if killed.
  bool read_request() {
    std::string got;
    while (got.find('\n') == std::string::npos) {
      if (!pause(std::chrono::milliseconds(0))) return false;
      pollfd pfd{guest_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(guest_fd_, buf, sizeof(buf));
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  // Waits for script_.await_alive instances to be alive; false if killed.
  bool await_others() {
    const auto deadline = std::chrono::steady_clock::now() + script_.await_timeout;
    while (!backend_.wait_alive(script_.await_alive, std::chrono::milliseconds(20))) {
      if (!pause(std::chrono::milliseconds(0))) return false;
      if (std::chrono::steady_clock::now() >= deadline) break;  // the test sees max_alive()
    }
    return true;
  }

  void play() {
    console(script_.console, false);
    if (script_.await_alive > 0 && !await_others()) return;
    if (!script_.hello) return wait_for_kill();
    send(protocol::Hello{protocol::kProtocolVersion, "fake", "7.3.4-fake", spec_.topology.vcpus(),
                         1.5});
    if (script_.topology) send(*script_.topology);
    if (!read_request()) return;
    send(protocol::SchedulerAttached{"root", "/sys/kernel/sched_ext/root", 0, 100, 1});
    for (uint32_t i = 0; i < script_.samples; ++i) {
      if (!pause(script_.gap)) return;
      protocol::Sample sample;
      sample.seq = i;
      sample.t_ms = i * 10;
      sample.state = "enabled";
      sample.schedulers.push_back(
          {"root", true, "qmap", "enq: 0-3\n", "SCX_EV_SELECT_CPU_FALLBACK 0\n"});
      send(sample);
    }
    using Then = FakeScript::Then;
    switch (script_.then) {
      case Then::kVerdict: {
        protocol::RunPhaseReport report;  // what a real agent ends its run phase with
        report.samples_taken = script_.samples;
        send(report);
        send(protocol::Verdict{script_.verdict, "fake verdict", script_.samples, 0});
        if (!pause(script_.gap)) return;
        console(script_.late_console, true);
        if (script_.power_off) return exit_vm(ExitStatus{true, 0, 0});
        return wait_for_kill();
      }
      case Then::kHang:
        return wait_for_kill();
      case Then::kExitVm:
        console(script_.late_console, true);
        return exit_vm(ExitStatus{false, 0, 9});
      case Then::kCloseChannel:
        close_guest();
        return wait_for_kill();
    }
  }

  FakeBackend& backend_;
  size_t index_;
  MachineSpec spec_;
  FakeScript script_;
  int host_fd_ = -1, guest_fd_ = -1;
  std::mutex mu_, fd_mu_;
  std::condition_variable cv_;
  std::optional<ExitStatus> status_;
  bool killed_ = false, started_ = false;
  std::thread thread_;
};

}  // namespace

FakeBackend::FakeBackend(std::vector<FakeScript> scripts) : scripts_(std::move(scripts)) {
  if (scripts_.empty()) scripts_.emplace_back();
}

Result<std::unique_ptr<Instance>> FakeBackend::create(const MachineSpec& spec) {
  FakeScript script;
  size_t index = 0;
  {
    std::lock_guard lock(mu_);
    script = scripts_[std::min(created_, scripts_.size() - 1)];
    index = created_++;
    specs_.push_back(spec);
  }
  if (!script.create_error.empty()) return make_error(script.create_error);
  return std::unique_ptr<Instance>(new FakeInstance(*this, index, spec, std::move(script)));
}

size_t FakeBackend::created() const {
  std::lock_guard lock(mu_);
  return created_;
}

std::vector<MachineSpec> FakeBackend::specs() const {
  std::lock_guard lock(mu_);
  return specs_;
}

uint32_t FakeBackend::max_alive() const {
  std::lock_guard lock(mu_);
  return max_alive_;
}

std::vector<FakeBackend::LifeEvent> FakeBackend::timeline() const {
  std::lock_guard lock(mu_);
  return timeline_;
}

void FakeBackend::on_start(size_t instance) {
  {
    std::lock_guard lock(mu_);
    max_alive_ = std::max(max_alive_, ++alive_);
    timeline_.push_back({instance, true});
  }
  alive_cv_.notify_all();
}

void FakeBackend::on_end(size_t instance) {
  std::lock_guard lock(mu_);
  --alive_;
  timeline_.push_back({instance, false});
}

bool FakeBackend::wait_alive(uint32_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return alive_cv_.wait_for(lock, timeout, [&] { return alive_ >= n; });
}

}  // namespace scxfarm::vm
