#include <algorithm>
#include <map>

#include "cpulist.h"
#include "loaders.h"

namespace scxfarm::config {

namespace detail {

namespace {

// Limits of what the farm boots; QEMU allows more, our hosts do not.
constexpr uint32_t kMaxVcpus = 64;
constexpr uint32_t kMaxNodes = 8;
constexpr uint32_t kMaxNodeMemoryMib = 65536;
constexpr uint32_t kMinTotalMemoryMib = 256;  // a Debian guest with the agent
constexpr uint32_t kLocalDistance = 10;       // ACPI SLIT: 10 means local
constexpr uint32_t kMinRemoteDistance = 11;
constexpr uint32_t kMaxRemoteDistance = 254;  // 255 means unreachable

// "cpu 2 is" / "cpus 2-3 are", for messages about a set of cpus.
std::string cpus_are(const std::vector<uint32_t>& ids, const char* noun = "cpu") {
  return std::string(noun) + (ids.size() == 1 ? " " : "s ") + format_cpulist(ids) +
         (ids.size() == 1 ? " is" : " are");
}

struct NodeMarks {
  YAML::Mark cpus;
  std::string cpus_path;
  bool cpus_ok = true;  // false when the cpulist did not parse
};

void parse_node(const Field& f, Diagnostics& diag, NumaNode& node, NodeMarks& marks) {
  FieldReader r(f, diag);
  marks.cpus = f.mark;
  marks.cpus_path = join_path(f.path, "cpus");
  if (auto cpus = r.get("cpus")) {
    marks.cpus = cpus->mark;
    // An empty or absent list is a memory-only node. A bare number is a
    // one-cpu list.
    if (!cpus->node.IsNull()) {
      auto text = as_string(*cpus, diag);
      auto ids = text ? parse_cpulist(*text) : Result<std::vector<uint32_t>>(Error{});
      if (ids.ok()) {
        node.cpus = std::move(*ids);
      } else {
        marks.cpus_ok = false;
        if (text) {
          diag.error(cpus->mark, cpus->path,
                     "bad cpulist \"" + *text + "\": " + ids.error().message);
        }
      }
    }
  }
  r.read("memory_mib", node.memory_mib, 0, kMaxNodeMemoryMib);
  r.finish();
}

void check_distances(const Field& f, Diagnostics& diag, size_t node_count,
                     std::vector<std::vector<uint32_t>>& out) {
  auto rows = as_sequence(f, diag);
  if (!rows) return;
  if (rows->size() != node_count) {
    diag.error(f.mark, f.path,
               "has " + std::to_string(rows->size()) + " rows, expected one per node (" +
                   std::to_string(node_count) + ")");
    return;
  }
  std::vector<std::vector<uint32_t>> matrix;
  std::vector<std::vector<YAML::Mark>> marks;
  bool complete = true;
  for (size_t i = 0; i < rows->size(); ++i) {
    auto cells = as_sequence((*rows)[i], diag);
    if (!cells) {
      complete = false;
      continue;
    }
    if (cells->size() != node_count) {
      diag.error((*rows)[i].mark, (*rows)[i].path,
                 "has " + std::to_string(cells->size()) + " entries, expected " +
                     std::to_string(node_count) + " (the matrix is nodes x nodes)");
      complete = false;
      continue;
    }
    matrix.emplace_back();
    marks.emplace_back();
    for (size_t j = 0; j < cells->size(); ++j) {
      const Field& cell = (*cells)[j];
      uint64_t min = i == j ? kLocalDistance : kMinRemoteDistance;
      uint64_t max = i == j ? kLocalDistance : kMaxRemoteDistance;
      auto v = as_uint(cell, diag, min, max);
      if (!v) complete = false;
      matrix.back().push_back(static_cast<uint32_t>(v.value_or(0)));
      marks.back().push_back(cell.mark);
    }
  }
  if (!complete) return;
  for (size_t i = 0; i < node_count; ++i) {
    for (size_t j = i + 1; j < node_count; ++j) {
      if (matrix[i][j] == matrix[j][i]) continue;
      diag.error(marks[j][i], index_path(index_path(f.path, j), i),
                 std::to_string(matrix[j][i]) + " differs from " +
                     index_path(index_path(f.path, i), j) + " = " + std::to_string(matrix[i][j]) +
                     " (the matrix must be symmetric)");
    }
  }
  out = std::move(matrix);
}

}  // namespace

void parse_topology(const Field& root, Diagnostics& diag, TopologyConfig& out) {
  out.name = diag.file().stem().string();
  FieldReader r(root, diag);
  r.read("sockets", out.sockets, 1, kMaxVcpus);
  r.read("cores_per_socket", out.cores_per_socket, 1, kMaxVcpus);
  r.read("threads_per_core", out.threads_per_core, 1, kMaxVcpus);
  if (auto f = r.get("cpu_model")) {
    if (auto model = as_string(*f, diag)) {
      if (model->empty() || model->find_first_of(" \t") != std::string::npos) {
        diag.error(f->mark, f->path,
                   "'" + *model + "' is not a QEMU -cpu model (one word, e.g. max)");
      } else {
        out.cpu_model = *model;
      }
    }
  }

  // vcpus is an optional cross-check of the -smp product, for readers.
  const uint32_t vcpus = out.vcpus();
  const std::string product = std::to_string(out.sockets) + "*" +
                              std::to_string(out.cores_per_socket) + "*" +
                              std::to_string(out.threads_per_core);
  if (auto f = r.get("vcpus")) {
    if (auto v = as_uint(*f, diag, 1, kMaxVcpus); v && *v != vcpus) {
      diag.error(f->mark, f->path,
                 std::to_string(*v) +
                     " does not match sockets*cores_per_socket*threads_per_core = " + product +
                     " = " + std::to_string(vcpus));
    }
  }
  if (vcpus > kMaxVcpus) {
    diag.error(root.mark, "",
               "sockets*cores_per_socket*threads_per_core = " + product + " = " +
                   std::to_string(vcpus) + " vCPUs is out of range (allowed: 1..64)");
  }

  std::vector<NodeMarks> node_marks;
  auto nodes_field = r.require("nodes");
  if (nodes_field) {
    if (auto items = as_sequence(*nodes_field, diag)) {
      if (items->empty() || items->size() > kMaxNodes) {
        diag.error(nodes_field->mark, nodes_field->path,
                   "has " + std::to_string(items->size()) + " nodes (allowed: 1..8)");
      }
      for (const auto& item : *items) {
        out.nodes.emplace_back();
        node_marks.emplace_back();
        parse_node(item, diag, out.nodes.back(), node_marks.back());
      }
    }
  }
  if (auto f = r.get("distances")) check_distances(*f, diag, out.nodes.size(), out.distances);
  r.finish();

  // Every vCPU in exactly one node, and nothing else. One error per node
  // and problem, with the cpus as a cpulist, rather than one per cpu.
  std::map<uint32_t, size_t> owner;
  for (size_t n = 0; n < out.nodes.size(); ++n) {
    const NodeMarks& at = node_marks[n];
    std::vector<uint32_t> outside;
    std::map<size_t, std::vector<uint32_t>> taken;  // by the node that has them
    for (uint32_t cpu : out.nodes[n].cpus) {
      if (cpu >= vcpus) {
        outside.push_back(cpu);
      } else if (auto [it, fresh] = owner.emplace(cpu, n); !fresh) {
        taken[it->second].push_back(cpu);
      }
    }
    if (!outside.empty()) {
      diag.error(at.cpus, at.cpus_path,
                 cpus_are(outside) + " out of range (allowed: 0.." + std::to_string(vcpus - 1) +
                     ", sockets*cores_per_socket*threads_per_core = " + product + ")");
    }
    for (const auto& [other, cpus] : taken) {
      diag.error(at.cpus, at.cpus_path,
                 cpus_are(cpus) + " already in nodes[" + std::to_string(other) +
                     "] (each vCPU belongs to exactly one node)");
    }
  }
  bool cpulists_ok = std::all_of(node_marks.begin(), node_marks.end(),
                                 [](const NodeMarks& m) { return m.cpus_ok; });
  if (nodes_field && !out.nodes.empty() && vcpus <= kMaxVcpus && cpulists_ok) {
    std::vector<uint32_t> missing;
    for (uint32_t cpu = 0; cpu < vcpus; ++cpu) {
      if (!owner.count(cpu)) missing.push_back(cpu);
    }
    if (!missing.empty()) {
      diag.error(nodes_field->mark, nodes_field->path,
                 cpus_are(missing, "vCPU") + " in no node (the nodes must cover 0.." +
                     std::to_string(vcpus - 1) +
                     ", sockets*cores_per_socket*threads_per_core = " + product + ")");
    }
  }
  if (nodes_field && !out.nodes.empty() && out.memory_mib() < kMinTotalMemoryMib) {
    diag.error(nodes_field->mark, nodes_field->path,
               "total memory " + std::to_string(out.memory_mib()) +
                   " MiB is too small (allowed: at least 256 MiB over all nodes)");
  }
}

}  // namespace detail

Result<TopologyConfig> load_topology(const std::filesystem::path& path) {
  return detail::load_with<TopologyConfig>(path, detail::parse_topology);
}

}  // namespace scxfarm::config
