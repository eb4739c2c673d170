// Hot paths of the guest agent's sampler: it parses every scheduler's caps
// and events and checks the tree on every sample, and parses every qmap
// stdout line.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "scxfarm/telemetry/telemetry.h"

namespace scxfarm::telemetry {
namespace {

const char* const kEvents =
    "SCX_EV_SELECT_CPU_FALLBACK 0\nSCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE 0\n"
    "SCX_EV_DISPATCH_KEEP_LAST 267\nSCX_EV_ENQ_SKIP_EXITING 0\n"
    "SCX_EV_ENQ_SKIP_MIGRATION_DISABLED 0\nSCX_EV_REENQ_IMMED 0\nSCX_EV_REENQ_REPEAT 0\n"
    "SCX_EV_REFILL_SLICE_DFL 266\nSCX_EV_SLICE_CLAMPED 0\nSCX_EV_SLICE_DENIED 0\n"
    "SCX_EV_BYPASS_DURATION 182117470\nSCX_EV_BYPASS_DISPATCH 2\nSCX_EV_BYPASS_ACTIVATE 1\n"
    "SCX_EV_INSERT_NOT_OWNED 0\nSCX_EV_SUB_BYPASS_DISPATCH 0\nSCX_EV_SUB_FORCED_ADMIT 0\n"
    "SCX_EV_SUB_PREEMPT_DENIED 0\nSCX_EV_SUB_KICK_DENIED 0\nSCX_EV_SUB_REENQ_DENIED 0\n"
    "SCX_EV_SUB_CIDPERF_DENIED 0\nSCX_EV_SUB_RESCUE 0\n";

void BM_ParseCaps(benchmark::State& state) {
  const std::string text =
      "enq_immed: 0-3,8,10-11,16-31\nenq: 0-31\npreempt: 0-15,17,19,21\nperf: \n";
  for (auto _ : state) benchmark::DoNotOptimize(parse_caps(text));
}
BENCHMARK(BM_ParseCaps);

void BM_ParseEvents(benchmark::State& state) {
  const std::string text = kEvents;
  for (auto _ : state) benchmark::DoNotOptimize(parse_events(text));
}
BENCHMARK(BM_ParseEvents);

// One qmap interval with 4 children, as printed; reported per line.
std::vector<std::string> qmap_interval() {
  std::vector<std::string> lines = {
      "---- 01:53:02 ----",
      "stats  : enq=6 dsp=6 delta=0 reenq/cid0=0/0 deq=6 core=0 enq_ddsp=2",
      "         exp_local=0 exp_remote=0 exp_timer=0 exp_lost=0",
      "cpuperf: cur min/avg/max=0/0/0 target min/avg/max=0/0/0",
      "hier   : nsub=4 excl=1 shared=28-31 rr=sub2 reenq cap/immed +3/+1 inj=+12 rescue=+0",
      "hier   :          cgroup    w  alloc   disp/s  cids",
      "hier   : self          1  100   0.00        -  28-31"};
  char buf[128];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "hier   : sub%-1d %10d %4d %6.2f %8.1f  %d-%d,28-31", i,
                  4242 + i, 100, 25.0, 812.5, i * 7, i * 7 + 6);
    lines.push_back(buf);
  }
  return lines;
}

void BM_HierParserStream(benchmark::State& state) {
  const std::vector<std::string> lines = qmap_interval();
  HierParser parser;
  for (auto _ : state) {
    for (const auto& line : lines) benchmark::DoNotOptimize(parser.feed(line));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(lines.size()));
  state.SetLabel("items = lines");
}
BENCHMARK(BM_HierParserStream);

// 32 cpus, depth 3: root, 4 children of 8 cids each, 2 grandchildren of 4 each.
std::map<std::string, CapMap> tree_32cpu_depth3() {
  std::map<std::string, CapMap> tree;
  const auto all = [](CidSet cids) {
    CapMap caps;
    for (const char* cap : {"enq_immed", "enq", "preempt", "perf"}) caps[cap] = cids;
    return caps;
  };
  tree["root"] = all(CidSet::range(0, 31));
  for (uint32_t c = 0; c < 4; ++c) {
    const std::string child = "root/C" + std::to_string(c);
    tree[child] = all(CidSet::range(c * 8, c * 8 + 7));
    for (uint32_t g = 0; g < 2; ++g) {
      tree[child + "/G" + std::to_string(g)] = all(CidSet::range(c * 8 + g * 4, c * 8 + g * 4 + 3));
    }
  }
  return tree;
}

void BM_CheckCapsSubset32CpuDepth3(benchmark::State& state) {
  const auto tree = tree_32cpu_depth3();
  for (auto _ : state) {
    auto violations = check_caps_subset(tree);
    if (!violations.empty()) state.SkipWithError("unexpected violation");
    benchmark::DoNotOptimize(violations);
  }
  state.SetLabel(std::to_string(tree.size()) + " schedulers");
}
BENCHMARK(BM_CheckCapsSubset32CpuDepth3);

}  // namespace
}  // namespace scxfarm::telemetry
