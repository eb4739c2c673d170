#include "agent.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "scxfarm/protocol/contract.h"
#include "topology_probe.h"

namespace scxfarm::agent {

Timeouts Timeouts::scaled(double factor) const {
  if (factor <= 0) factor = 1;
  auto scale = [&](uint64_t ms) { return static_cast<uint64_t>(static_cast<double>(ms) * factor); };
  Timeouts t = *this;
  t.host_run_ms = scale(host_run_ms);
  t.workload_term_ms = scale(workload_term_ms);
  t.workload_kill_ms = scale(workload_kill_ms);
  t.qmap_stop_ms = scale(qmap_stop_ms);
  t.qmap_kill_ms = scale(qmap_kill_ms);
  t.final_flush_ms = scale(final_flush_ms);
  return t;
}

Agent::Agent(Paths paths, AgentOptions options, int port_fd, Timeouts timeouts)
    : paths_(std::move(paths)),
      options_(std::move(options)),
      timeouts_(timeouts),
      channel_(port_fd),
      out_(channel_, options_.debug),
      port_(channel_, [this](const std::string& line) { handle_host_line(line); }),
      sampler_(paths_) {
  loop_.add(child_signals_);
  loop_.add(port_);
}

Agent::~Agent() = default;

uint64_t Agent::t_ms() const {
  return have_run_ ? now_ms() - run_start_ms_ : 0;
}

void Agent::phase(protocol::ScenarioPhase name) {
  out_.log("info", "phase " + protocol::to_string(name));
  out_.send(protocol::Phase{name, t_ms()});
}

std::optional<protocol::AgentOutcome> Agent::run() {
  protocol::Hello hello;
  hello.protocol_version = protocol::kProtocolVersion;
  hello.agent_version = kAgentVersion;
  utsname uts{};
  if (::uname(&uts) == 0) hello.kernel_release = uts.release;
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  hello.nr_cpus = cpus > 0 ? static_cast<uint32_t>(cpus) : 0;
  if (auto uptime = read_text(paths_.proc / "uptime", 4096)) {
    hello.uptime_s = std::strtod(uptime->c_str(), nullptr);
  }
  out_.send(hello);
  out_.send(probe_topology());  // what the kernel sees, checked by the host
  std::fprintf(stderr, "[scxfarm-agent] hello queued (uptime %.2f s, %u cpus, %s)\n",
               hello.uptime_s, hello.nr_cpus, hello.kernel_release.c_str());

  const bool got_run = run_until(
      now_ms() + timeouts_.host_run_ms, [&] { return have_run_; }, 1000);
  if (!got_run) {
    out_.log("error", "no run message from the host within " +
                          std::to_string(timeouts_.host_run_ms / 1000) + " s");
    final_flush();
    return std::nullopt;
  }
  out_.log("info", "run message received (host connected: " +
                       std::string(channel_.connected() ? "yes" : "no") + ")");
  if (run_request_) run_scenario(run_request_->plan);

  const protocol::Verdict v = verdict();
  out_.log("info", "verdict " + protocol::to_string(v.outcome) + ": " + v.reason);
  out_.send(v);
  out_.send(protocol::Bye{});
  final_flush();
  return v.outcome;
}

void Agent::handle_host_line(const std::string& line) {
  auto envelope = protocol::decode_line(line);
  if (!envelope) {
    out_.log("warn", "ignoring a host line that is not a message (" + std::to_string(line.size()) +
                         " bytes)");
    return;
  }
  if (envelope->type != protocol::MessageType<protocol::RunRequest>::name || have_run_) {
    out_.log("debug", "ignoring host message of type " + envelope->type);
    return;
  }
  have_run_ = true;
  run_start_ms_ = now_ms();
  try {
    run_request_ = envelope->body.get<protocol::RunRequest>();
  } catch (const std::exception& e) {
    agent_error_ = std::string("malformed run message: ") + e.what();
  }
}

protocol::Verdict Agent::verdict() const {
  protocol::Verdict v;
  v.samples = samples_;
  v.churn_ops = churn_ops_;
  if (!agent_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kError;
    v.reason = agent_error_;
  } else if (!scheduler_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kSchedulerError;
    v.reason = scheduler_error_;
  } else if (!timeout_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kTimeout;
    v.reason = timeout_error_;
  } else if (violation_samples_ > 0) {
    v.outcome = protocol::AgentOutcome::kFail;
    v.reason = std::to_string(violation_samples_) + " of " + std::to_string(samples_) +
               " samples had invariant violations; first: " + text::join(first_violations_, "; ");
  } else {
    size_t schedulers = 0;
    for (const auto& c : children_) schedulers += c->is_scheduler;
    v.outcome = protocol::AgentOutcome::kPass;
    v.reason = std::to_string(schedulers) + " schedulers attached; " + std::to_string(samples_) +
               " samples, " + std::to_string(churn_ops_) + " churn ops, no violations";
  }
  return v;
}

void Agent::final_flush() {
  const bool flushed = run_until(
      now_ms() + timeouts_.final_flush_ms, [&] { return channel_.pending_bytes() == 0; }, 50);
  if (!flushed) {
    std::fprintf(stderr, "[scxfarm-agent] %zu bytes never reached the host\n",
                 channel_.pending_bytes());
  }
  if (channel_.dropped_lines() > 0) {
    std::fprintf(stderr, "[scxfarm-agent] %llu lines dropped (host not reading)\n",
                 static_cast<unsigned long long>(channel_.dropped_lines()));
  }
}

}  // namespace scxfarm::agent
