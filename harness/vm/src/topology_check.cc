#include "scxfarm/vm/topology_check.h"

#include <map>

#include "scxfarm/telemetry/cid_set.h"

namespace scxfarm::vm {

namespace {

std::string cpus_text(const telemetry::CidSet& set) {
  const std::string s = set.to_string();
  return s.empty() ? "none" : s;
}

std::string row_text(const std::vector<uint32_t>& row) {
  std::string out;
  for (uint32_t d : row) out += (out.empty() ? "" : " ") + std::to_string(d);
  return out;
}

}  // namespace

std::vector<std::string> compare_topology(const config::TopologyConfig& declared,
                                          const protocol::TopologySeen& seen,
                                          const MemoryTolerance& tolerance) {
  std::vector<std::string> out;
  for (const auto& error : seen.errors) out.push_back("guest could not read " + error);
  const size_t n = declared.nodes.size();

  std::map<uint32_t, const protocol::NodeSeen*> by_id;
  for (const auto& node : seen.nodes) by_id[node.id] = &node;
  for (const auto& [id, node] : by_id) {
    if (id >= n)
      out.push_back("node" + std::to_string(id) + ": the guest has it, the topology declares " +
                    std::to_string(n) + " node(s)");
  }

  for (uint32_t i = 0; i < n; ++i) {
    const std::string name = "node" + std::to_string(i);
    const auto& want = declared.nodes[i];
    auto it = by_id.find(i);
    if (it == by_id.end()) {
      out.push_back(name + ": declared (cpus " + cpus_text(telemetry::CidSet::of(want.cpus)) +
                    ", " + std::to_string(want.memory_mib) + " MiB) but not online in the guest");
      continue;
    }
    const auto& got = *it->second;
    auto cpus = telemetry::CidSet::parse(got.cpulist);
    if (!cpus) {
      out.push_back(name + ": unparsable cpulist \"" + got.cpulist + "\"");
    } else if (*cpus != telemetry::CidSet::of(want.cpus)) {
      out.push_back(name + ": cpus " + cpus_text(*cpus) + ", declared " +
                    cpus_text(telemetry::CidSet::of(want.cpus)));
    }

    std::vector<uint32_t> want_row;
    for (uint32_t j = 0; j < n; ++j) {
      want_row.push_back(declared.distances.empty() ? (i == j ? 10u : 20u)
                                                    : declared.distances[i][j]);
    }
    if (got.distances != want_row) {
      out.push_back(name + ": distances [" + row_text(got.distances) + "], declared [" +
                    row_text(want_row) + "]" +
                    (declared.distances.empty() ? " (QEMU default)" : ""));
    }

    const uint64_t want_kib = static_cast<uint64_t>(want.memory_mib) * 1024;
    const uint64_t slack_kib =
        static_cast<uint64_t>(tolerance.fixed_mib) * 1024 + want_kib * tolerance.percent / 100;
    const uint64_t floor_kib = want_kib > slack_kib ? want_kib - slack_kib : 0;
    if (got.memory_kib > want_kib || got.memory_kib < floor_kib) {
      out.push_back(name + ": MemTotal " + std::to_string(got.memory_kib / 1024) +
                    " MiB, declared " + std::to_string(want.memory_mib) + " MiB (allowed: " +
                    std::to_string(floor_kib / 1024) + ".." + std::to_string(want.memory_mib) +
                    " MiB: the kernel reserves up to " + std::to_string(tolerance.fixed_mib) +
                    " MiB + " + std::to_string(tolerance.percent) + "%)");
    }
  }

  if (seen.cpus.size() != declared.vcpus()) {
    out.push_back("guest has " + std::to_string(seen.cpus.size()) + " online cpus, declared " +
                  std::to_string(declared.vcpus()) + " vCPUs");
  }
  const uint32_t threads = declared.threads_per_core;
  if (threads > 1) {
    for (const auto& cpu : seen.cpus) {
      const uint32_t first = cpu.id - cpu.id % threads;
      const auto want = telemetry::CidSet::range(first, first + threads - 1);
      auto got = telemetry::CidSet::parse(cpu.thread_siblings);
      if (!got || *got != want) {
        out.push_back("cpu" + std::to_string(cpu.id) + ": thread siblings \"" +
                      cpu.thread_siblings + "\", declared " + want.to_string() +
                      " (threads_per_core " + std::to_string(threads) + ")");
      }
    }
  }
  return out;
}

}  // namespace scxfarm::vm
