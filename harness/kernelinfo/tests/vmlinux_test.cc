// integration: the probe on a real kernel's vmlinux, named by
// SCXFARM_TEST_VMLINUX (ci/test.sh points it at the default kernel's, the
// Debian 7.3 package's extracted vmlinux, after `scxfarm setup`). Without
// the variable the test is skipped (exit 77), never passed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "scxfarm/kernelinfo/probe.h"

namespace scxfarm::kernelinfo {
namespace {

bool has_item(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(ProbeVmlinux, TheDefaultKernelHasEverySubSchedulerFeature) {
  const char* vmlinux = std::getenv("SCXFARM_TEST_VMLINUX");
  if (vmlinux == nullptr || *vmlinux == '\0')
    GTEST_SKIP() << "SCXFARM_TEST_VMLINUX is unset: set it to the default kernel's vmlinux "
                    "(scxfarm kernel info debian-7.3-cloud --json | jq -r .vmlinux)";
  auto probed = probe_btf(vmlinux);
  ASSERT_TRUE(probed.ok()) << probed.error().message;
  std::cout << format_features("(SCXFARM_TEST_VMLINUX)", *probed);

  for (const auto& [name, feature] : kFeatureSpellings)
    EXPECT_TRUE(probed->has(feature)) << name << ": " << probed->status(feature)->reason;
  for (const char* kfunc :
       {"scx_bpf_sub_grant", "scx_bpf_sub_revoke", "scx_bpf_sub_kill_bstr", "scx_bpf_cpu_to_cid"})
    EXPECT_TRUE(has_item(probed->kfuncs, kfunc)) << kfunc;
  // The events the farm's checks and summaries read (runner/checks.cc,
  // results/summary_text.cc), as 7.3 declares them in struct scx_event_stats.
  for (const char* event :
       {"SCX_EV_SUB_RESCUE", "SCX_EV_DISPATCH_KEEP_LAST", "SCX_EV_BYPASS_DURATION"})
    EXPECT_TRUE(has_item(probed->events, event)) << event;
  EXPECT_GT(probed->btf_types, 100000u);
}

}  // namespace
}  // namespace scxfarm::kernelinfo
