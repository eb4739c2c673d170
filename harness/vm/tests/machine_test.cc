#include "scxfarm/vm/machine.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "scxfarm/vm/timeouts.h"
#include "testing/golden.h"

namespace scxfarm::vm {
namespace {

config::TopologyConfig numa2x4() {
  config::TopologyConfig t;
  t.name = "numa2x4";
  t.sockets = 2;
  t.cores_per_socket = 4;
  t.nodes = {{{0, 1, 2, 3}, 1024}, {{4, 5, 6, 7}, 1024}};
  t.distances = {{10, 20}, {20, 10}};
  return t;
}

config::TopologyConfig uneven_with_memoryless() {
  config::TopologyConfig t;
  t.name = "uneven";
  t.sockets = 1;
  t.cores_per_socket = 4;
  t.threads_per_core = 2;
  t.nodes = {{{0, 1, 4, 5}, 512}, {{2, 3, 6, 7}, 512}, {{}, 256}};
  t.distances = {{10, 21, 31}, {21, 10, 17}, {31, 17, 10}};
  return t;
}

MachineSpec spec_for(config::TopologyConfig topo) {
  MachineSpec spec;
  spec.topology = std::move(topo);
  spec.kernel = "/cache/kernel/k1/vmlinuz";
  spec.initramfs = "/cache/initramfs/i1/initramfs.cpio";
  spec.console_log = "/results/run,1/console.log";  // a comma must be escaped
  spec.control_socket = "/tmp/scxfarm-1/ctl.sock";
  return spec;
}

// Compares ARGV (one per line) with a golden file; SCXFARM_UPDATE_GOLDEN=1
// rewrites it (and fails unless SCXFARM_UPDATE_GOLDEN_INTENDED=1).
void expect_golden(const std::vector<std::string>& argv, const std::string& name) {
  std::ostringstream got;
  for (const auto& a : argv) got << a << "\n";
  const std::string path = std::string(SCXFARM_VM_GOLDEN_DIR) + "/" + name;
  if (golden::update_requested()) {
    std::ofstream(path) << got.str();
    const std::string failure = golden::update_failure({name});
    if (!failure.empty()) ADD_FAILURE() << failure;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with SCXFARM_UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got.str(), want.str()) << "golden " << path;
}

TEST(QemuArgv, TwoNodeTcgSingleGolden) {
  expect_golden(qemu_argv(spec_for(numa2x4()), "qemu-system-x86_64"), "numa2x4-tcg-single.argv");
}

TEST(QemuArgv, SmtUnevenMemorylessKvmGolden) {
  auto spec = spec_for(uneven_with_memoryless());
  spec.accel = AccelKind::kKvm;
  spec.extra_cmdline = {"scxfarm.debug=1"};
  expect_golden(qemu_argv(spec, "/usr/bin/qemu-system-x86_64"), "uneven-kvm.argv");
}

TEST(QemuArgv, NonContiguousCpusBecomeSeveralRanges) {
  EXPECT_EQ(cpu_ranges({0, 1, 4, 5, 7}), (std::vector<std::string>{"0-1", "4-5", "7"}));
  EXPECT_TRUE(cpu_ranges({}).empty());
}

TEST(QemuArgv, CommasInPathsAreDoubled) {
  EXPECT_EQ(qemu_escape("/a,b/c"), "/a,,b/c");
  auto argv = qemu_argv(spec_for(numa2x4()), "qemu");
  bool found = false;
  for (const auto& a : argv) found |= a == "file,id=console,path=/results/run,,1/console.log";
  EXPECT_TRUE(found);
}

TEST(QemuArgv, CmdlineCarriesTheContract) {
  auto cmdline = kernel_cmdline(spec_for(numa2x4()));
  EXPECT_NE(cmdline.find("panic=-1"), std::string::npos);
  EXPECT_NE(cmdline.find("scxfarm.port=org.scxfarm.ctl"), std::string::npos);
}

TEST(Timeouts, OneFactorScalesEveryWait) {
  Timeouts base;
  auto tcg = base.scaled(default_timeout_scale(false));
  EXPECT_EQ(tcg.boot_to_hello, base.boot_to_hello * 3);
  EXPECT_EQ(tcg.shutdown, base.shutdown * 3);
  EXPECT_EQ(base.scaled(default_timeout_scale(true)).boot_to_hello, base.boot_to_hello);
}

}  // namespace
}  // namespace scxfarm::vm
