#include "scxfarm/runner/session.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "scxfarm/protocol/contract.h"
#include "scxfarm/protocol/messages.h"

namespace scxfarm::runner {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Re-attaches PLAN's detach-attach drivers can ask for (an upper bound).
size_t reattach_ops(const protocol::ScenarioPlan& plan) {
  size_t n = 0;
  for (const auto& c : plan.churn) {
    if (c.kind != protocol::ChurnKind::kDetachAttach) continue;
    n += !c.at_ms.empty() ? c.at_ms.size()
                          : plan.duration_ms / std::max<uint32_t>(c.period_ms, 1) + 1;
  }
  return n;
}
}  // namespace

HostSession::HostSession(vm::Instance& instance, int control_fd, std::filesystem::path stream_path,
                         RunAnalyzer& analyzer, ProgressFn progress)
    : instance_(instance),
      fd_(control_fd),
      stream_(stream_path, std::ios::app),
      analyzer_(analyzer),
      progress_(std::move(progress)) {}

HostSession::ReadResult HostSession::read_some(std::chrono::milliseconds wait) {
  if (closed_) return ReadResult::kClosed;
  pollfd pfd{fd_, POLLIN, 0};
  int rc = ::poll(&pfd, 1, static_cast<int>(wait.count()));
  if (rc <= 0) return ReadResult::kIdle;
  char buf[65536];
  ssize_t n = ::read(fd_, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return ReadResult::kIdle;
  if (n <= 0) {
    closed_ = true;
    return ReadResult::kClosed;
  }
  buffer_.feed(buf, static_cast<size_t>(n));
  while (auto line = buffer_.next()) handle_line(*line);
  return ReadResult::kData;
}

void HostSession::handle_line(const std::string& line) {
  if (line.empty()) return;
  stream_ << line << '\n';
  stream_.flush();
  auto message = protocol::decode_line(line);
  if (!message) {
    progress_("agent sent an undecodable line: " + line.substr(0, 120));
    return;
  }
  last_message_ = Clock::now();
  analyzer_.on_message(*message);
  const auto& body = message->body;
  const auto kind = message->kind();
  if (kind == protocol::MessageKind::kTopologySeen) {
    try {
      topology_seen_ = body.get<protocol::TopologySeen>();
    } catch (const nlohmann::json::exception& e) {
      progress_(std::string("agent sent an undecodable topology report: ") + e.what());
    }
    return;
  }
  // Phases and attaches are logged by the agent itself; the host adds what
  // only it can see. (A message that does not decode is the analyzer's to count.)
  try {
    if (kind == protocol::MessageKind::kSchedulerExited) {
      const auto exited = body.get<protocol::SchedulerExited>();
      if (!exited.expected) progress_("scheduler " + exited.path + " exited unexpectedly");
    } else if (kind == protocol::MessageKind::kLog) {
      const auto log = body.get<protocol::Log>();
      if (log.level != "debug") progress_("agent " + log.level + ": " + log.text);
    }
  } catch (const nlohmann::json::exception&) {
  }
}

bool HostSession::send_line(const std::string& line) {
  std::string data = line + "\n";
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

SessionResult HostSession::run(const protocol::ScenarioPlan& plan, const vm::Timeouts& timeouts,
                               Clock::time_point vm_started) {
  SessionResult result;
  const auto tick = std::chrono::milliseconds(200);
  // 1. hello
  const auto hello_deadline = vm_started + timeouts.boot_to_hello;
  while (!analyzer_.hello()) {
    if (read_some(tick) == ReadResult::kClosed) {
      result.end = SessionResult::End::kChannelClosed;
      result.detail = "control channel closed before the agent's hello";
      return result;
    }
    if (analyzer_.hello()) break;
    if (auto st = instance_.poll_exit()) {
      result.end = SessionResult::End::kVmExited;
      result.detail = "VM exited before the agent's hello (" + st->describe() + ")";
      return result;
    }
    if (Clock::now() >= hello_deadline) {
      result.end = SessionResult::End::kHelloTimeout;
      result.detail = "no hello from the agent within " +
                      std::to_string(timeouts.boot_to_hello.count() / 1000) + " s of VM start";
      return result;
    }
  }
  result.hello_seconds = since(vm_started);
  const auto& hello = *analyzer_.hello();
  progress_("agent ready after " + std::to_string(result.hello_seconds).substr(0, 5) +
            " s (guest uptime " + std::to_string(hello.uptime_s).substr(0, 5) + " s, kernel " +
            hello.kernel_release + ", " + std::to_string(hello.nr_cpus) + " cpus)");
  if (hello.protocol_version != protocol::kProtocolVersion) {
    result.end = SessionResult::End::kInfra;
    result.detail = "agent speaks protocol " + std::to_string(hello.protocol_version) +
                    ", host speaks " + std::to_string(protocol::kProtocolVersion);
    return result;
  }

  // 2. the plan
  const auto run_sent = Clock::now();
  if (!send_line(protocol::encode(protocol::RunRequest{plan}))) {
    result.end = SessionResult::End::kChannelClosed;
    result.detail = "could not send the plan to the agent";
    return result;
  }
  // Every attach (first ones and re-attaches by churn) may take its whole
  // timeout, and a declared settle may extend the run phase by its timeout.
  const auto attach = std::chrono::milliseconds(protocol::attach_timeout_ms(plan));
  const auto budget =
      std::chrono::milliseconds(plan.duration_ms) +
      attach * (declared_schedulers(plan).size() + reattach_ops(plan)) +
      std::chrono::milliseconds(protocol::scaled_ms(plan, protocol::kSettleTimeoutMs)) +
      timeouts.scenario_grace;
  const auto deadline = run_sent + budget;
  // Silence limit: the table's no_output, but never below what a healthy
  // agent can be silent for (a qmap attaching sends nothing for up to
  // attach_timeout_ms; samples come every sample_interval_ms).
  const auto silence_limit = std::max(
      {timeouts.no_output, std::chrono::milliseconds(plan.sample_interval_ms) * 4, attach});
  last_message_ = Clock::now();

  // 3. the stream, until the verdict
  while (!analyzer_.verdict()) {
    auto r = read_some(tick);
    if (analyzer_.verdict()) break;
    if (r == ReadResult::kClosed) {
      if (auto st = instance_.wait_exit(std::chrono::seconds(2))) {
        result.end = SessionResult::End::kVmExited;
        result.detail = "VM exited mid-scenario (" + st->describe() + ")";
      } else {
        result.end = SessionResult::End::kChannelClosed;
        result.detail = "control channel closed mid-scenario while the VM kept running";
      }
      result.scenario_seconds = since(run_sent);
      return result;
    }
    if (auto st = instance_.poll_exit()) {
      while (read_some(std::chrono::milliseconds(0)) == ReadResult::kData) {
      }
      if (analyzer_.verdict()) break;
      result.end = SessionResult::End::kVmExited;
      result.detail = "VM exited mid-scenario (" + st->describe() + ")";
      result.scenario_seconds = since(run_sent);
      return result;
    }
    if (Clock::now() - last_message_ >= silence_limit) {
      // The agent samples every sample_interval_ms (<= 60 s, 250 ms by
      // default): silence this long means it (or the guest) hangs.
      result.end = SessionResult::End::kNoOutput;
      result.detail =
          "no output from the agent for " + std::to_string(silence_limit.count() / 1000) + " s";
      result.scenario_seconds = since(run_sent);
      return result;
    }
    if (Clock::now() >= deadline) {
      result.end = SessionResult::End::kScenarioTimeout;
      result.detail =
          "no verdict within " + std::to_string(budget.count() / 1000) + " s of sending the plan";
      result.scenario_seconds = since(run_sent);
      return result;
    }
  }
  result.end = SessionResult::End::kCompleted;
  result.scenario_seconds = since(run_sent);
  return result;
}

bool HostSession::drain_until_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (instance_.poll_exit()) {
      while (read_some(std::chrono::milliseconds(0)) == ReadResult::kData) {
      }
      return true;
    }
    if (read_some(std::chrono::milliseconds(100)) == ReadResult::kClosed)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return instance_.poll_exit().has_value();
}

}  // namespace scxfarm::runner
