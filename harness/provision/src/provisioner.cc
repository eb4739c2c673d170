#include "scxfarm/provision/provisioner.h"

#include <chrono>
#include <fstream>
#include <iterator>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"
#include "scxfarm/common/text.h"
#include "scxfarm/kernelinfo/probe.h"
#include "scxfarm/provision/cache.h"
#include "scxfarm/provision/keys.h"

namespace fs = std::filesystem;

namespace scxfarm::provision {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string tail_of(const fs::path& log, size_t lines) {
  auto text = read_file(log);
  if (!text) return "";
  const std::string& s = *text;
  size_t pos = s.size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = s.rfind('\n', pos - 1);
    if (pos == std::string::npos) return s;
  }
  return s.substr(pos + 1);
}

// Programs from the guest root that go into every image, and where.
const std::vector<std::string> kRootPrograms = {
    "root:/usr/bin/stress-ng=/usr/bin/stress-ng",
    "root:/usr/bin/hackbench=/usr/bin/hackbench",
    "root:/usr/bin/cyclictest=/usr/bin/cyclictest",
};

}  // namespace

Provisioner::Provisioner(fs::path source_dir, fs::path cache_root, ProgressFn progress)
    : source_dir_(std::move(source_dir)),
      cache_root_(std::move(cache_root)),
      progress_(std::move(progress)) {}

Status Provisioner::run_script(const std::string& what, const std::vector<std::string>& argv,
                               const fs::path& log) {
  progress_(what + " (log: " + log.string() + ")");
  auto proc = Process::spawn(argv, SpawnOptions{.output_file = log});
  if (!proc) return proc.error().context(what);
  // Long steps (a kernel build) print "[kernel-build] ..." phase and
  // percentage lines into their log: pass those on while waiting.
  std::streamoff forwarded = 0;  // bytes of LOG already looked at (whole lines)
  auto forward = [&] {
    std::ifstream in(log, std::ios::binary);
    if (!in.seekg(forwarded)) return;
    const std::string fresh((std::istreambuf_iterator<char>(in)), {});
    size_t begin = 0;
    for (size_t eol; (eol = fresh.find('\n', begin)) != std::string::npos; begin = eol + 1) {
      std::string_view line(fresh.data() + begin, eol - begin);
      if (line.rfind("[kernel-build] ", 0) == 0)
        progress_(std::string(line.substr(1 + line.find(' '))));
    }
    forwarded += static_cast<std::streamoff>(begin);
  };
  std::optional<ExitStatus> status;
  while (!(status = proc->wait_for(std::chrono::seconds(2)))) forward();
  forward();
  if (!status->success()) {
    return make_error(what + " failed (" + status->describe() + "); last lines of " + log.string() +
                      ":\n" + tail_of(log, 15));
  }
  return {};
}

ProvisionSteps Provisioner::steps(const Artifact& root) {
  return ProvisionSteps{
      .src = SourceFiles{source_dir_},
      .cache_root = cache_root_,
      .guest_root = root,
      .obtain = [this](const std::string& kind, const std::string& key,
                       const BuildFn& build) { return obtain(kind, key, build); },
      .run_script = [this](const std::string& what, const std::vector<std::string>& argv,
                           const fs::path& log) { return run_script(what, argv, log); },
      .progress = progress_,
  };
}

Result<Artifact> Provisioner::obtain(const std::string& kind, const std::string& key,
                                     const BuildFn& build) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path dir = cache_root_ / kind / key;
  Artifact artifact{kind, key, dir, true, 0};
  if (fs::is_directory(dir)) {
    artifact.seconds = seconds_since(start);
    progress_(kind + ": cached " + dir.string());
    return artifact;
  }
  auto lock = ArtifactLock::acquire(dir);
  if (!lock) return lock.error();
  if (fs::is_directory(dir)) {  // another process built it while we waited
    artifact.seconds = seconds_since(start);
    return artifact;
  }
  // The one publish step of every artifact: BUILD fills a fresh staging
  // directory (the scripts write into it in place), and a rename makes it
  // visible. A failed build leaves the staging directory for inspection; the
  // next attempt starts by removing it.
  const fs::path tmp = dir.string() + ".build";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (auto st = build(tmp); !st) return st.error().context(kind);
  if (!fs::is_directory(tmp)) return make_error(kind + ": builder produced no " + tmp.string());
  fs::rename(tmp, dir, ec);
  if (ec) return make_error(kind + ": cannot publish " + dir.string() + ": " + ec.message());
  artifact.reused = false;
  artifact.seconds = seconds_since(start);
  progress_(kind + ": built in " + std::to_string(static_cast<int>(artifact.seconds)) +
            " s: " + dir.string());
  return artifact;
}

Result<Artifact> Provisioner::guest_root() {
  SourceFiles src{source_dir_};
  auto key = guest_root_key(src);
  if (!key) return key.error();
  return obtain("guest-root", *key, [&](const fs::path& out) {
    return run_script("guest root: mmdebstrap trixie",
                      {"bash", (src.scripts() / "guest-root.sh").string(), (out / "root").string(),
                       (source_dir_ / "guest/root-packages.txt").string()},
                      cache_root_ / "guest-root" / (*key + ".log"));
  });
}

Result<Artifact> Provisioner::kernel(const config::KernelConfig& kernel, const Artifact& root) {
  auto provider = make_kernel_provider(kernel, steps(root));
  if (!provider) return provider.error();
  auto key = (*provider)->key();
  if (!key) return key.error();
  return obtain("kernel", *key, [&](const fs::path& out) { return (*provider)->obtain(out); });
}

Result<Artifact> Provisioner::schedulers(const Artifact& root, const Artifact& kernel) {
  SourceFiles src{source_dir_};
  auto key = schedulers_key(src, root.key, kernel.key);
  if (!key) return key.error();
  return obtain("schedulers", *key, [&](const fs::path& out) {
    return run_script("schedulers: build tools/sched_ext with clang-22",
                      {"bash", (src.scripts() / "qmap-build.sh").string(),
                       (root.dir / "root").string(), kernel.dir.string(), out.string()},
                      cache_root_ / "schedulers" / (*key + ".log"));
  });
}

Result<Artifact> Provisioner::no_schedulers(const Artifact& root, const Artifact& kernel) {
  SourceFiles src{source_dir_};
  auto key = schedulers_key(src, root.key, kernel.key);
  if (!key) return key.error();
  return obtain("schedulers", *key, [&](const fs::path& out) -> Status {
    if (auto st = ensure_dir(out / "bin"); !st) return st;
    return write_file_atomic(out / "NOTE",
                             "kernel has no sched_ext (no struct sched_ext_ops in its BTF): "
                             "no schedulers built\n");
  });
}

Result<Artifact> Provisioner::agent(const Artifact& root) {
  SourceFiles src{source_dir_};
  auto key = agent_key(src, root.key);
  if (!key) return key.error();
  return obtain("agent", *key, [&](const fs::path& out) {
    return run_script("agent: build with the guest toolchain",
                      {"bash", (src.scripts() / "agent-build.sh").string(),
                       (root.dir / "root").string(), source_dir_.string(), out.string()},
                      cache_root_ / "agent" / (*key + ".log"));
  });
}

Result<Artifact> Provisioner::workloads(const Artifact& root) {
  SourceFiles src{source_dir_};
  auto key = workloads_key(src, root.key);
  if (!key) return key.error();
  return obtain("workloads", *key, [&](const fs::path& out) {
    return run_script("workloads: build with the guest toolchain",
                      {"bash", (src.scripts() / "workloads-build.sh").string(),
                       (root.dir / "root").string(), source_dir_.string(), out.string()},
                      cache_root_ / "workloads" / (*key + ".log"));
  });
}

Result<Artifact> Provisioner::initramfs(const Artifact& root, const Artifact& schedulers,
                                        const Artifact& agent, const Artifact& workloads) {
  SourceFiles src{source_dir_};
  auto key = initramfs_key(src, root.key, schedulers.key, agent.key, workloads.key);
  if (!key) return key.error();
  return obtain("initramfs", *key, [&](const fs::path& out) -> Status {
    if (auto st = ensure_dir(out); !st) return st;
    std::vector<std::string> argv = {
        "bash",
        (src.scripts() / "pack-initramfs.sh").string(),
        (root.dir / "root").string(),
        (out / "initramfs.cpio").string(),
        (agent.dir / "init").string(),
        (agent.dir / "bin/scxfarm-agent").string() + "=/opt/scxfarm/bin/scxfarm-agent",
    };
    for (const auto& entry : fs::directory_iterator(schedulers.dir / "bin")) {
      argv.push_back(entry.path().string() + "=/opt/scxfarm/bin/" +
                     entry.path().filename().string());
    }
    // The project's workloads, e.g. scxfarm-wakeup-probe (workload kind wakeup-probe).
    for (const auto& entry : fs::directory_iterator(workloads.dir / "bin")) {
      argv.push_back(entry.path().string() + "=/opt/scxfarm/bin/" +
                     entry.path().filename().string());
    }
    argv.insert(argv.end(), kRootPrograms.begin(), kRootPrograms.end());
    return run_script("initramfs: pack", argv, cache_root_ / "initramfs" / (*key + ".log"));
  });
}

Result<GuestImage> Provisioner::prepare(const config::KernelConfig& kernel_config) {
  auto root = guest_root();
  if (!root) return root.error();
  auto kern = kernel(kernel_config, *root);
  if (!kern) return kern.error();
  // A kernel without sched_ext (Debian's 6.12 is built so) cannot build
  // tools/sched_ext against its BTF; its image carries no schedulers, and
  // the runner skips every scenario that needs them (kernel features).
  auto features = kernelinfo::probe_btf(kern->dir / "vmlinux");
  if (!features) return features.error().context("kernel " + kernel_config.name);
  const bool has_sched_ext = features->has(kernelinfo::Feature::kSchedExt);
  auto scheds = has_sched_ext ? schedulers(*root, *kern) : no_schedulers(*root, *kern);
  if (!scheds) return scheds.error();
  auto agent_artifact = agent(*root);
  if (!agent_artifact) return agent_artifact.error();
  auto workloads_artifact = workloads(*root);
  if (!workloads_artifact) return workloads_artifact.error();
  auto image = initramfs(*root, *scheds, *agent_artifact, *workloads_artifact);
  if (!image) return image.error();

  GuestImage out;
  out.kernel_dir = kern->dir;
  out.kernel_image = kern->dir / "vmlinuz";
  out.initramfs = image->dir / "initramfs.cpio";
  if (auto release = read_file(kern->dir / "release"); release)
    out.kernel_release = text::trim(*release);
  out.package_version =
      kernel_config.source == config::KernelConfig::Source::kDebian ? kernel_config.version : "";
  out.timeout_scale = kernel_config.timeout_scale;
  return out;
}

Result<std::vector<Provisioner::PlannedArtifact>> Provisioner::plan(
    const config::KernelConfig& kernel_config) {
  SourceFiles src{source_dir_};
  std::vector<PlannedArtifact> out;
  auto add = [&](const std::string& kind, const std::string& key) {
    const fs::path dir = cache_root_ / kind / key;
    out.push_back({kind, key, dir, fs::is_directory(dir)});
  };
  auto root = guest_root_key(src);
  if (!root) return root.error();
  add("guest-root", *root);
  auto provider = make_kernel_provider(kernel_config, steps(Artifact{"guest-root", *root, {}}));
  if (!provider) return provider.error();
  auto inputs = (*provider)->inputs();
  if (!inputs) return inputs.error();
  for (const auto& [kind, key] : *inputs) add(kind, key);
  auto kern = (*provider)->key();
  if (!kern) return kern.error();
  add("kernel", *kern);
  auto scheds = schedulers_key(src, *root, *kern);
  if (!scheds) return scheds.error();
  add("schedulers", *scheds);
  auto agent_k = agent_key(src, *root);
  if (!agent_k) return agent_k.error();
  add("agent", *agent_k);
  auto work = workloads_key(src, *root);
  if (!work) return work.error();
  add("workloads", *work);
  auto image = initramfs_key(src, *root, *scheds, *agent_k, *work);
  if (!image) return image.error();
  add("initramfs", *image);
  return out;
}

}  // namespace scxfarm::provision
