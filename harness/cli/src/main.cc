// scxfarm: the farm's command line. Thin: parse, then hand to a command.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <map>
#include <string>

#include "commands.h"
#include "compare.h"
#include "oracle.h"
#include "scxfarm/provision/cache.h"

using namespace scxfarm;

int main(int argc, char** argv) {
  std::string description =
      "scxfarm: boot kernels in QEMU, nest scx_qmap sub-schedulers, churn their CPU grants\n"
      "under load, and check sched_ext cap delegation from outside the scheduler.\nExit codes:";
  for (const auto code : cli::kAllExitCodes)
    description += fmt::format("\n  {} {}", cli::to_int(code), cli::exit_code_meaning(code));
  CLI::App app{description};
  app.require_subcommand(1);
  cli::GlobalOptions global;
  global.source_dir = provision::default_source_dir();
  global.cache_dir = provision::default_cache_root();
  std::string configs;
  app.add_option("--configs", configs, "Config directory (default: <source>/configs)");
  app.add_option("--cache", global.cache_dir,
                 "Artifact cache (default: $SCXFARM_CACHE or /var/cache/scxfarm)")
      ->capture_default_str();
  app.add_flag("-v,--verbose", global.verbose, "Debug logging");

  cli::SetupOptions setup;
  auto* setup_cmd = app.add_subcommand(
      "setup",
      "Build or fetch everything runs need: guest root, kernels, scx_qmap, agent, initramfs.\n"
      "Artifacts are cached by content; a second setup does no work.");
  setup_cmd->add_option("--suite", setup.suites,
                        "Suites whose kernels to prepare (default: smoke)");
  setup_cmd->add_option("--kernel", setup.kernels, "Additional kernels by name (configs/kernels)");
  setup_cmd->add_flag("--dry-run", setup.dry_run,
                      "Print every artifact's cache directory and whether it is cached; build "
                      "nothing (no root needed)");

  cli::RunOptions run;
  auto* run_cmd =
      app.add_subcommand("run", "Run a suite (runs setup first; cached steps are skipped).");
  run_cmd->add_option("suite", run.suite, "Suite name (configs/suites) or path to a suite file")
      ->required();
  run_cmd->add_option("--results", run.results_root, "Results root directory")
      ->capture_default_str();
  run_cmd->add_option("--kernel", run.kernels,
                      "Run on this kernel (configs/kernels) instead of the suite's kernels;\n"
                      "repeatable, e.g. --kernel my-series");
  std::map<std::string, config::Accel> accels = {
      {"auto", config::Accel::kAuto}, {"kvm", config::Accel::kKvm}, {"tcg", config::Accel::kTcg}};
  std::map<std::string, config::TcgThreads> threads = {{"single", config::TcgThreads::kSingle},
                                                       {"multi", config::TcgThreads::kMulti}};
  std::string accel, tcg;
  auto* accel_opt =
      run_cmd->add_option("--accel", accel, "Override the suite's accelerator: auto|kvm|tcg")
          ->check(CLI::IsMember({"auto", "kvm", "tcg"}));
  auto* tcg_opt = run_cmd->add_option("--tcg-threads", tcg, "Override TCG threading: single|multi")
                      ->check(CLI::IsMember({"single", "multi"}));
  run_cmd
      ->add_option("--timeout-scale", run.timeout_scale,
                   "Multiply every VM timeout (default: 1 under KVM, 3 under TCG)")
      ->check(CLI::Range(0.1, 100.0));
  run_cmd->add_option("--qemu", run.qemu_binary, "QEMU binary")->capture_default_str();
  run_cmd
      ->add_option("--jobs,-j", run.jobs,
                   "Host CPU budget for parallel runs (a TCG thread=single VM costs 1, a KVM or\n"
                   "multi-threaded TCG VM its vCPUs; default: the host's usable CPUs)")
      ->check(CLI::Range(1, 1024));
  run_cmd
      ->add_option("--crash-reruns", run.crash_reruns,
                   "Reruns of a kernel-crash run, to tell deterministic from flaky (default 1)")
      ->check(CLI::Range(0, 20));
  run_cmd
      ->add_option("--infra-retries", run.infra_retries,
                   "Extra attempts of a run that ends in an infrastructure error (default 2)")
      ->check(CLI::Range(0, 20));
  // Metrics exports (shared with `export`); all off by default.
  const auto add_export_flags = [](CLI::App* cmd, cli::MetricsExportOptions& m) {
    cmd->add_option(
        "--pushgateway", m.pushgateway_url,
        "Push the suite's metrics to this Pushgateway at the end (PUT: replaces the group\n"
        "job=scxfarm/suite/kernel/shard), e.g. http://127.0.0.1:9091");
    cmd->add_option("--textfile", m.textfile,
                    "Also write the metrics to this node_exporter textfile (*.prom), atomically");
    cmd->add_option("--shard", m.shard, "This batch's shard I/N (Pushgateway grouping label)")
        ->capture_default_str();
  };
  add_export_flags(run_cmd, run.metrics);
  run_cmd->add_option("--metrics-listen", run.metrics.listen,
                      "Serve live metrics on http://[HOST]:PORT/metrics while the suite runs\n"
                      "(HOST default 127.0.0.1, e.g. :9464)");

  cli::ExportOptions export_options;
  auto* export_cmd = app.add_subcommand("export",
                                        "Re-export a finished suite's metrics from "
                                        "RESULTS_DIR/suite.json (e.g. retry a failed push).");
  export_cmd->add_option("results_dir", export_options.results_dir, "Suite results directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  add_export_flags(export_cmd, export_options.metrics);

  cli::CompareCommandOptions compare_options;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "Compare two finished suites: Mann-Whitney U per workload metric with Hodges-Lehmann\n"
      "shift and interval, Benjamini-Hochberg q-values, the minimum detectable effect, and\n"
      "every check that started failing. Exit 0 no regression, 1 regression, 2 unusable input.");
  compare_cmd->add_option("baseline_dir", compare_options.baseline_dir, "Baseline suite results")
      ->required()
      ->check(CLI::ExistingDirectory);
  compare_cmd->add_option("candidate_dir", compare_options.candidate_dir, "Candidate suite results")
      ->required()
      ->check(CLI::ExistingDirectory);
  compare_cmd->add_option("--json", compare_options.json_file,
                          "Also write the report as JSON to FILE (atomically)");
  compare_cmd->add_option("--junit", compare_options.junit_file,
                          "Also write JUnit XML to FILE: a testcase per metric and check; a\n"
                          "regression fails, not enough runs is skipped");
  compare_cmd
      ->add_option("--min-effect", compare_options.min_effect_percent,
                   "Smallest change flagged, in % of the baseline median")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  compare_cmd->add_option("--min-effect-of", compare_options.min_effect_of,
                          "METRIC=PCT: a metric's own minimum effect, e.g. latency_max=20\n"
                          "(repeatable; METRIC as in the catalog: latency_p99, time, ...)");
  compare_cmd
      ->add_option("--target-effect", compare_options.target_effect_percent,
                   "Effect a 'no change' must have been able to detect (%); else 'not enough runs'")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1000.0));
  compare_cmd
      ->add_option("--fdr", compare_options.fdr,
                   "False discovery rate: q-value at or below which a change counts")
      ->capture_default_str()
      ->check(CLI::Range(0.0001, 0.5));
  cli::OracleCommandOptions oracle_options;
  auto* oracle_cmd = cli::add_oracle_command(app, oracle_options);
  cli::AccelOptions accel_options;
  auto* accel_cmd = app.add_subcommand(
      "accel",
      "Print the accelerator `run` picks with --accel auto (kvm or tcg) and why.\n"
      "Probes KVM by booting --kernel-image unless <cache>/accel/probe.json holds the answer\n"
      "for this QEMU binary, boot and /dev/kvm.");
  accel_cmd->add_option("--kernel-image", accel_options.kernel_image, "Kernel a probe boots")
      ->required()
      ->check(CLI::ExistingFile);
  accel_cmd->add_option("--qemu", accel_options.qemu_binary, "QEMU binary")->capture_default_str();
  accel_cmd
      ->add_option("--timeout-scale", accel_options.timeout_scale,
                   "Multiply the probe's timeout (default 1)")
      ->check(CLI::Range(0.1, 100.0));

  cli::KernelInfoOptions kernel_info;
  auto* kernel_cmd = app.add_subcommand("kernel", "Kernels under configs/kernels.");
  kernel_cmd->require_subcommand(1);
  auto* kernel_info_cmd = kernel_cmd->add_subcommand(
      "info",
      "Print what a kernel's BTF offers the farm: the features scenarios require\n"
      "(configs/README.md, requires:), the sub-scheduler kfuncs and the SCX_EV_* events.\n"
      "Fetches the kernel into the cache first if needed (then as root).");
  kernel_info_cmd->add_option("name", kernel_info.kernel, "Kernel name (configs/kernels)")
      ->required();
  kernel_info_cmd->add_flag("--json", kernel_info.json, "Print the probe as JSON");

  std::vector<std::filesystem::path> validate_paths;
  auto* validate_cmd =
      app.add_subcommand("validate", "Check config files strictly without running anything.");
  validate_cmd->add_option("paths", validate_paths, "Config files or directories")->required();

  std::filesystem::path console_file;
  auto* classify_cmd = app.add_subcommand(
      "classify-console",
      "Classify a kernel console log (crashes, sched_ext exits) and print JSON.");
  classify_cmd->add_option("file", console_file, "Console log")
      ->required()
      ->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help or the parse error
    return cli::to_int(rc == 0 ? cli::ExitCode::kPass : cli::ExitCode::kUsage);
  }
  // Progress and logs go to stderr; stdout carries only results (summaries, JSON).
  spdlog::set_default_logger(spdlog::stderr_color_mt("scxfarm"));
  spdlog::set_pattern("[%H:%M:%S] %v");
  spdlog::set_level(global.verbose ? spdlog::level::debug : spdlog::level::info);
  global.configs_dir =
      configs.empty() ? global.source_dir / "configs" : std::filesystem::path(configs);
  if (accel_opt->count()) run.accel = accels.at(accel);
  if (tcg_opt->count()) run.tcg_threads = threads.at(tcg);

  try {
    if (*setup_cmd) return cli::to_int(cli::cmd_setup(global, setup));
    if (*run_cmd) return cli::to_int(cli::cmd_run(global, run));
    if (*export_cmd) return cli::to_int(cli::cmd_export(global, export_options));
    if (*compare_cmd) return cli::to_int(cli::cmd_compare(compare_options));
    if (*oracle_cmd) return cli::to_int(cli::cmd_oracle(global, oracle_options));
    if (*accel_cmd) return cli::to_int(cli::cmd_accel(global, accel_options));
    if (*kernel_info_cmd) return cli::to_int(cli::cmd_kernel_info(global, kernel_info));
    if (*validate_cmd) return cli::to_int(cli::cmd_validate(global, validate_paths));
    if (*classify_cmd) return cli::to_int(cli::cmd_classify_console(console_file));
  } catch (const std::exception& e) {
    // Fatal user errors end here (see docs/ERRORS.md).
    spdlog::error("{}", e.what());
    return cli::to_int(cli::ExitCode::kUsage);
  }
  return cli::to_int(cli::ExitCode::kUsage);
}
