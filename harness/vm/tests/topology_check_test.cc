#include "scxfarm/vm/topology_check.h"

#include <gtest/gtest.h>

namespace scxfarm::vm {
namespace {

config::TopologyConfig smt_two_nodes() {
  config::TopologyConfig t;
  t.name = "numa2x2x2";
  t.sockets = 2;
  t.cores_per_socket = 2;
  t.threads_per_core = 2;
  t.nodes = {{{0, 1, 2, 3}, 1024}, {{4, 5, 6, 7}, 1024}};
  t.distances = {{10, 21}, {21, 10}};
  return t;
}

// What the 7.3 kernel reports for smt_two_nodes() when QEMU did its job.
protocol::TopologySeen matching() {
  protocol::TopologySeen s;
  s.nodes = {{0, "0-3", {10, 21}, 900 * 1024}, {1, "4-7", {21, 10}, 1000 * 1024}};
  for (uint32_t c = 0; c < 8; ++c) {
    const uint32_t first = c - c % 2;
    s.cpus.push_back({c, std::to_string(first) + "-" + std::to_string(first + 1)});
  }
  return s;
}

TEST(TopologyCheck, MatchingTopologyHasNoDifferences) {
  EXPECT_TRUE(compare_topology(smt_two_nodes(), matching()).empty());
}

TEST(TopologyCheck, EachDifferenceIsNamed) {
  auto seen = matching();
  seen.nodes[1].cpulist = "4-6";
  seen.nodes[0].distances = {10, 20};
  seen.cpus[5].thread_siblings = "5";
  seen.cpus.pop_back();
  auto diffs = compare_topology(smt_two_nodes(), seen);
  ASSERT_EQ(diffs.size(), 4u) << ::testing::PrintToString(diffs);
  EXPECT_EQ(diffs[0], "node0: distances [10 20], declared [10 21]");
  EXPECT_EQ(diffs[1], "node1: cpus 4-6, declared 4-7");
  EXPECT_EQ(diffs[2], "guest has 7 online cpus, declared 8 vCPUs");
  EXPECT_EQ(diffs[3], "cpu5: thread siblings \"5\", declared 4-5 (threads_per_core 2)");
}

TEST(TopologyCheck, MemoryWithinToleranceAndNeverAbove) {
  auto seen = matching();
  seen.nodes[0].memory_kib = 1024 * 1024 + 4;  // more than QEMU gave
  seen.nodes[1].memory_kib = 800 * 1024;       // 1024 - 96 - 102.4 = 825.6 MiB floor
  auto diffs = compare_topology(smt_two_nodes(), seen);
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_EQ(diffs[0].rfind("node0: MemTotal 1024 MiB, declared 1024 MiB (allowed: 825..1024", 0),
            0u)
      << diffs[0];
  EXPECT_EQ(diffs[1].rfind("node1: MemTotal 800 MiB", 0), 0u) << diffs[1];
}

TEST(TopologyCheck, MissingAndExtraNodesAndDefaultDistances) {
  auto declared = smt_two_nodes();
  declared.distances.clear();  // QEMU's default: 10 local, 20 remote
  declared.threads_per_core = 1;
  declared.cores_per_socket = 4;
  auto seen = matching();
  seen.nodes[0].distances = {10, 20};
  seen.nodes[1].distances = {20, 10};
  EXPECT_TRUE(compare_topology(declared, seen).empty());  // SMT siblings unchecked at 1 thread

  seen.nodes[1].id = 2;
  seen.errors = {"/sys/devices/system/node/node2/meminfo: no MemTotal line"};
  auto diffs = compare_topology(declared, seen);
  ASSERT_EQ(diffs.size(), 3u) << ::testing::PrintToString(diffs);
  EXPECT_EQ(diffs[0],
            "guest could not read /sys/devices/system/node/node2/meminfo: no MemTotal line");
  EXPECT_EQ(diffs[1], "node2: the guest has it, the topology declares 2 node(s)");
  EXPECT_EQ(diffs[2], "node1: declared (cpus 4-7, 1024 MiB) but not online in the guest");
}

TEST(TopologyCheck, MemoryOnlyNodeHasNoCpus) {
  config::TopologyConfig t;
  t.cores_per_socket = 2;
  t.nodes = {{{0, 1}, 512}, {{}, 512}};
  protocol::TopologySeen s;
  s.nodes = {{0, "0-1", {10, 20}, 450 * 1024}, {1, "", {20, 10}, 500 * 1024}};
  s.cpus = {{0, "0"}, {1, "1"}};
  EXPECT_TRUE(compare_topology(t, s).empty());
  s.nodes[1].cpulist = "1";
  s.nodes[0].cpulist = "0";
  auto diffs = compare_topology(t, s);
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_EQ(diffs[1], "node1: cpus 1, declared none");
}

}  // namespace
}  // namespace scxfarm::vm
