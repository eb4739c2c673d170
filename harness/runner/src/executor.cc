#include "scxfarm/runner/executor.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/text.h"
#include "scxfarm/report/report.h"
#include "scxfarm/results/result_files.h"
#include "scxfarm/results/timestamp.h"
#include "scxfarm/vm/topology_check.h"

namespace fs = std::filesystem;

namespace scxfarm::runner {

namespace {

using Clock = std::chrono::steady_clock;

// The run's control socket goes in a directory of its own under $TMPDIR
// (Unix socket paths have a 108-byte limit: not in the results tree): mode
// 0700, a fresh name per run (parallel runs never collide), removed when the
// run ends, whichever way it ends.
Result<PrivateTempDir> control_socket_dir() {
  std::error_code ec;
  const fs::path tmp = fs::temp_directory_path(ec);
  if (ec) return make_error("no temporary directory for the control socket: " + ec.message());
  return PrivateTempDir::create(tmp, "scxfarm-run-");
}

// The last non-empty line of TEXT (an exit reason's "EXIT: ..." line).
std::string last_line(const std::string& text) {
  std::string last;
  text::for_each_line(text, [&](size_t, std::string_view line) {
    if (!text::trim(line).empty()) last = std::string(line);
  });
  return last;
}

// Free space under DIR in MiB, or nullopt if it cannot be told.
std::optional<uint64_t> free_mib(const fs::path& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize / (1024 * 1024);
}

// What a run is, before anything ran: names, the image, the kernel's probe.
results::RunSummary summary_of_inputs(const RunInputs& in) {
  results::RunSummary summary;
  summary.run_id = in.run_id;
  summary.suite = in.suite;
  summary.scenario = in.scenario.plan.name;
  summary.topology = in.topology.name;
  summary.kernel = in.kernel.name;
  summary.kernel_release = in.image.kernel_release;
  summary.kernel_package_version = in.image.package_version;
  summary.seed = in.scenario.plan.seed;
  summary.repeat_index = in.repeat_index;
  summary.started_at = results::utc_timestamp(std::chrono::system_clock::now());
  summary.run_dir = in.run_dir.string();
  summary.kernel_features = in.kernel_features;
  for (const auto feature : in.scenario.required_features)
    summary.required_features.emplace_back(kernelinfo::to_string(feature));
  return summary;
}

}  // namespace

void write_run_json(const results::RunSummary& summary, const ProgressFn& progress) {
  if (auto st = results::write_run_json(summary.run_dir, summary); !st)
    progress("cannot write run.json: " + st.error().message);
}

ConsoleFindings inspect_console(const std::string& console_text) {
  ConsoleFindings out;
  for (const auto& r : report::classify_console(console_text)) {
    out.all_titles.push_back(std::string(report::to_string(r.kind)) + ": " + r.title);
    const bool crash = r.kind == report::Kind::kPanic || r.kind == report::Kind::kOops ||
                       r.kind == report::Kind::kBug || r.kind == report::Kind::kSoftLockup ||
                       r.kind == report::Kind::kRcuStall || r.kind == report::Kind::kHungTask ||
                       r.kind == report::Kind::kUnexpectedReboot;
    if (crash && !out.kernel_crash) {
      out.kernel_crash = true;
      out.title = r.title;
      out.signature = r.signature();
    } else if (r.kind == report::Kind::kWarning) {
      out.warnings.push_back(r.title);
    } else if (r.kind == report::Kind::kSchedExtExit && !out.kernel_crash && !out.scheduler_exit) {
      out.scheduler_exit = true;
      if (out.title.empty()) {
        out.title = r.title;
        out.signature = r.signature();
      }
    }
  }
  return out;
}

void add_console_failures(const ConsoleFindings& console, results::RunSummary& summary) {
  for (const auto& title : console.warnings)
    summary.failures.push_back(
        {results::Check::kKernelWarning, "", title, "kernel WARNING: " + title});
}

void decide_outcome(const SessionResult& session, const ConsoleFindings& console, bool powered_off,
                    results::RunSummary& summary) {
  using results::Outcome;
  using End = SessionResult::End;
  auto set = [&](Outcome o, std::string reason) {
    summary.outcome = o;
    summary.reason = std::move(reason);
  };
  if (console.kernel_crash) {
    set(Outcome::kKernelCrash, console.title);
    summary.crash_signature = console.signature;
    return;
  }
  switch (session.end) {
    case End::kInfra:
      return set(Outcome::kInfraError, session.detail);
    case End::kHelloTimeout:
      return set(Outcome::kBootFailure, session.detail);
    case End::kVmExited:
      // Before the hello the kernel never got the agent running; after it,
      // the VM died under a live session.
      return set(session.hello_seconds == 0 ? Outcome::kBootFailure : Outcome::kLostConnection,
                 session.detail);
    case End::kChannelClosed:
      return set(Outcome::kLostConnection, session.detail);
    case End::kScenarioTimeout:
    case End::kNoOutput:
      return set(Outcome::kTimeout, session.detail);
    case End::kCompleted:
      break;
  }
  using protocol::AgentOutcome;
  const std::optional<AgentOutcome> agent =
      protocol::from_string<AgentOutcome>(summary.agent_outcome);
  // Exits nobody asked for: the exits check (check_expectations) failed
  // each one the scenario does not declare, or declares for another
  // reason. A declared one is the run's expected teardown, not an error.
  auto exit_failed = [&](const std::string& path) {
    return std::any_of(summary.failures.begin(), summary.failures.end(), [&](const auto& f) {
      return f.check == results::Check::kExits && f.subject == path;
    });
  };
  const results::SchedulerSummary* undeclared = nullptr;
  bool unexpected_exit = false;
  for (const auto& s : summary.schedulers) {
    unexpected_exit |= s.exited_unexpectedly;
    if (s.exited_unexpectedly && !undeclared && exit_failed(s.path)) undeclared = &s;
  }
  // The agent calls every unasked exit a scheduler error: when the host saw
  // such exits and every one was declared, the host's judgement stands.
  const bool agent_error_explained =
      agent == AgentOutcome::kSchedulerError && unexpected_exit && !undeclared;
  if (undeclared || (agent == AgentOutcome::kSchedulerError && !agent_error_explained)) {
    std::string reason = summary.agent_reason;
    if (undeclared && reason.rfind(undeclared->path + " ", 0) != 0)
      reason = undeclared->path + ": " + last_line(undeclared->exit_reason);
    if (reason.empty() && console.scheduler_exit) reason = console.title;
    return set(Outcome::kSchedulerError,
               reason.empty() ? "a scheduler exited unexpectedly" : reason);
  }
  if (agent == AgentOutcome::kError)
    return set(Outcome::kFail, "agent error: " + summary.agent_reason);
  // The agent waited for a declared settle that never came: what it waited
  // for is in the reason (and in run_phase.waiting_for).
  if (agent == AgentOutcome::kTimeout) return set(Outcome::kTimeout, summary.agent_reason);
  if (!summary.failures.empty()) return set(Outcome::kFail, summary.failures.front().text);
  if (agent != AgentOutcome::kPass && !agent_error_explained)
    return set(Outcome::kFail,
               "agent verdict '" + summary.agent_outcome + "': " + summary.agent_reason);
  if (!powered_off) return set(Outcome::kTimeout, "guest did not power off after its verdict");
  set(Outcome::kPass, "all checks held");
}

results::RunSummary skip_run(const RunInputs& in, const std::string& lacking,
                             const ProgressFn& progress) {
  results::RunSummary summary = summary_of_inputs(in);
  summary.outcome = results::Outcome::kSkipped;
  summary.reason = lacking;
  if (auto st = ensure_dir(in.run_dir); !st) {
    progress("cannot create " + in.run_dir.string() + ": " + st.error().message);
    return summary;
  }
  write_run_json(summary, progress);
  return summary;
}

results::RunSummary execute_run(const RunInputs& in, vm::Backend& backend,
                                const ProgressFn& progress) {
  results::RunSummary summary = summary_of_inputs(in);
  summary.accel = std::string(vm::to_string(in.accel.accel));
  summary.accel_reason = in.accel.reason;
  summary.tcg_threads =
      in.accel.accel == vm::AccelKind::kKvm ? "" : std::string(config::to_string(in.tcg_threads));
  summary.pool_cost = in.pool_cost;
  summary.exclusive = in.exclusive;
  summary.pinned_cpus = in.pin_cpus;

  auto write_summary = [&] { write_run_json(summary, progress); };
  if (auto st = ensure_dir(in.run_dir); !st) {
    summary.outcome = results::Outcome::kInfraError;
    summary.reason = st.error().message;
    return summary;
  }
  if (auto mib = free_mib(in.run_dir); mib && *mib < in.min_free_disk_mib) {
    summary.outcome = results::Outcome::kInfraError;
    summary.reason = "out of disk: " + std::to_string(*mib) + " MiB free under " +
                     in.run_dir.string() + ", a run needs " + std::to_string(in.min_free_disk_mib);
    write_summary();
    return summary;
  }

  vm::MachineSpec spec;
  spec.topology = in.topology;
  spec.kernel = in.image.kernel_image;
  spec.initramfs = in.image.initramfs;
  spec.extra_cmdline = in.kernel.extra_cmdline;
  spec.accel = in.accel.accel;
  spec.tcg_threads = in.tcg_threads;
  spec.console_log = in.run_dir / "console.log";
  spec.pin_cpus = in.pin_cpus;
  // Declared before the instance: it outlives QEMU on every way out.
  auto socket_dir = control_socket_dir();
  if (!socket_dir) {
    summary.outcome = results::Outcome::kInfraError;
    summary.reason = socket_dir.error().message;
    write_summary();
    return summary;
  }
  spec.control_socket = socket_dir->path() / "control.sock";

  const auto started = Clock::now();
  auto instance = backend.create(spec);
  if (!instance) {
    summary.outcome = results::Outcome::kInfraError;
    summary.reason = instance.error().message;
    write_summary();
    return summary;
  }
  std::string argv_text;
  for (const auto& a : (*instance)->command_line()) argv_text += a + "\n";
  (void)write_file_atomic(in.run_dir / "qemu.argv", argv_text);

  // The plan as sent: the agent scales its waits by the run's timeout scale.
  protocol::ScenarioPlan plan = in.scenario.plan;
  plan.timeout_scale = in.timeouts.factor;
  RunAnalyzer analyzer(plan);
  SessionResult session;
  bool powered_off = false;
  std::optional<protocol::TopologySeen> topology_seen;
  if (auto st = (*instance)->start(); !st) {
    session.end = SessionResult::End::kInfra;
    session.detail = st.error().message;
  } else if (auto pid = (*instance)->pid();
             pid > 0 &&
             !write_file_atomic(in.run_dir / "qemu.pid", std::to_string(pid) + "\n").ok()) {
    session.end = SessionResult::End::kInfra;
    session.detail = "cannot write " + (in.run_dir / "qemu.pid").string();
  } else if (auto fd = (*instance)->connect_control(in.timeouts.control_connect); !fd) {
    session.end = SessionResult::End::kInfra;
    session.detail = fd.error().message;
  } else {
    HostSession host(**instance, *fd, in.run_dir / "samples.jsonl", analyzer, progress);
    session = host.run(plan, in.timeouts, started);
    if (session.end == SessionResult::End::kCompleted) {
      // The agent powers the VM off after its verdict: until then (and the
      // console is read only after that) a late oops still fails the run.
      powered_off = host.drain_until_exit(in.timeouts.shutdown);
    } else {
      // Give a dying kernel a moment to finish printing its oops.
      (void)(*instance)->wait_exit(in.timeouts.console_grace);
    }
    topology_seen = host.topology_seen();
  }
  if (!(*instance)->poll_exit()) (*instance)->kill();
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  if (analyzer.hello()) {
    summary.kernel_release = analyzer.hello()->kernel_release;
    summary.guest_uptime_at_hello = analyzer.hello()->uptime_s;
  }
  summary.boot_to_agent_seconds = session.hello_seconds;
  summary.scenario_seconds = session.scenario_seconds;
  if (analyzer.verdict()) {
    summary.agent_outcome = protocol::to_string(analyzer.verdict()->outcome);
    summary.agent_reason = analyzer.verdict()->reason;
  }
  analyzer.fill(summary);
  summary.failures = check_expectations(in.scenario, summary);
  if (topology_seen) {
    summary.topology_checked = true;
    summary.topology_mismatches = vm::compare_topology(in.topology, *topology_seen);
    for (const auto& m : summary.topology_mismatches)
      summary.failures.push_back({results::Check::kTopology, in.topology.name, m,
                                  "topology " + in.topology.name + ": " + m});
    progress(summary.topology_mismatches.empty()
                 ? "topology " + in.topology.name + " verified in the guest"
                 : "topology " + in.topology.name +
                       " differs in the guest: " + summary.topology_mismatches.front());
  } else if (session.end == SessionResult::End::kCompleted) {
    const std::string never = "the agent never reported the topology the guest sees";
    summary.failures.push_back({results::Check::kTopology, in.topology.name, never, never});
  }

  auto console = read_file(spec.console_log);
  ConsoleFindings findings = inspect_console(console ? *console : "");
  summary.console_reports = findings.all_titles;
  add_console_failures(findings, summary);
  decide_outcome(session, findings, powered_off, summary);
  write_summary();
  return summary;
}

}  // namespace scxfarm::runner
