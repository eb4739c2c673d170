#include "topology_probe.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "scxfarm/telemetry/cid_set.h"
#include "sys_io.h"

namespace fs = std::filesystem;

namespace scxfarm::agent {

namespace {

// Numeric suffixes of DIR's entries named PREFIX<N>, sorted.
std::vector<uint32_t> numbered_entries(const fs::path& dir, const std::string& prefix) {
  std::vector<uint32_t> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    ids.push_back(static_cast<uint32_t>(std::strtoul(digits.c_str(), nullptr, 10)));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// "Node 0 MemTotal:        1000348 kB" -> 1000348.
std::optional<uint64_t> mem_total_kib(const std::string& meminfo) {
  std::istringstream in(meminfo);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find("MemTotal:");
    if (at == std::string::npos) continue;
    return std::strtoull(line.c_str() + at + 9, nullptr, 10);
  }
  return std::nullopt;
}

}  // namespace

protocol::TopologySeen probe_topology(const fs::path& sysfs_root) {
  protocol::TopologySeen out;
  auto note = [&](const fs::path& file, const std::string& what) {
    out.errors.push_back(file.string() + ": " + what);
  };
  const fs::path node_dir = sysfs_root / "devices/system/node";
  std::vector<uint32_t> node_ids;
  if (auto online = read_text(node_dir / "online", 4096)) {
    if (auto set = telemetry::CidSet::parse(trim(*online))) {
      node_ids = set->cids();
    } else {
      note(node_dir / "online", set.error().message);
    }
  } else {
    node_ids = numbered_entries(node_dir, "node");  // !CONFIG_NUMA has no "online"
  }
  for (uint32_t id : node_ids) {
    const fs::path dir = node_dir / ("node" + std::to_string(id));
    protocol::NodeSeen node;
    node.id = id;
    if (auto cpus = read_text(dir / "cpulist", 4096)) {
      node.cpulist = trim(*cpus);
    } else {
      note(dir / "cpulist", cpus.error().message);
    }
    if (auto dist = read_text(dir / "distance", 4096)) {
      std::istringstream in(*dist);
      uint32_t d = 0;
      while (in >> d) node.distances.push_back(d);
    } else {
      note(dir / "distance", dist.error().message);
    }
    if (auto meminfo = read_text(dir / "meminfo", 65536)) {
      if (auto kib = mem_total_kib(*meminfo)) {
        node.memory_kib = *kib;
      } else {
        note(dir / "meminfo", "no MemTotal line");
      }
    } else {
      note(dir / "meminfo", meminfo.error().message);
    }
    out.nodes.push_back(std::move(node));
  }

  const fs::path cpu_dir = sysfs_root / "devices/system/cpu";
  std::vector<uint32_t> cpu_ids;
  if (auto online = read_text(cpu_dir / "online", 4096)) {
    if (auto set = telemetry::CidSet::parse(trim(*online))) {
      cpu_ids = set->cids();
    } else {
      note(cpu_dir / "online", set.error().message);
    }
  } else {
    note(cpu_dir / "online", online.error().message);
  }
  for (uint32_t id : cpu_ids) {
    const fs::path file =
        cpu_dir / ("cpu" + std::to_string(id)) / "topology" / "thread_siblings_list";
    protocol::CpuSeen cpu;
    cpu.id = id;
    if (auto siblings = read_text(file, 4096)) {
      cpu.thread_siblings = trim(*siblings);
    } else {
      note(file, siblings.error().message);
    }
    out.cpus.push_back(std::move(cpu));
  }
  return out;
}

}  // namespace scxfarm::agent
