#include "cgroups.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "sys_io.h"

namespace scxfarm::agent {
namespace {

Status enable_cpu(const std::filesystem::path& dir) {
  return write_text(dir / "cgroup.subtree_control", "+cpu");
}

}  // namespace

Status create_cgroups(const Paths& paths, const std::vector<protocol::PlanCgroup>& nodes,
                      const std::function<void(const std::string&)>& step) {
  auto note = [&](const std::string& text) {
    if (step) step(text);
  };
  if (auto s = enable_cpu(paths.cgroup_root); !s) return s;
  note("+cpu in " + (paths.cgroup_root / "cgroup.subtree_control").string());
  for (const auto& node : nodes) {
    const auto dir = paths.cgroup_root / node.path;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return make_error("mkdir " + dir.string() + ": " + std::strerror(errno));
    }
    if (auto s = write_weight(paths, node.path, node.weight); !s) return s;
    note("created " + node.path + " cpu.weight=" + std::to_string(node.weight));
    if (!node.leaf) {
      if (auto s = enable_cpu(dir); !s) return s;
      note("+cpu in " + node.path + "/cgroup.subtree_control");
    }
  }
  return {};
}

Result<uint32_t> read_weight(const Paths& paths, const std::string& cgroup) {
  const auto file = paths.cgroup_root / cgroup / "cpu.weight";
  auto text = read_text(file, 4096);
  if (!text) return text.error();
  const std::string value = trim(*text);
  uint32_t weight = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), weight);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    return make_error(file.string() + ": not a weight: '" + value + "'");
  }
  return weight;
}

Status write_weight(const Paths& paths, const std::string& cgroup, uint32_t weight) {
  return write_text(paths.cgroup_root / cgroup / "cpu.weight", std::to_string(weight));
}

Result<std::string> swap_weights(const Paths& paths, const std::string& a, const std::string& b) {
  auto wa = read_weight(paths, a);
  if (!wa) return wa.error();
  auto wb = read_weight(paths, b);
  if (!wb) return wb.error();
  if (auto s = write_weight(paths, a, *wb); !s) return s.error();
  if (auto s = write_weight(paths, b, *wa); !s) return s.error();
  return a + "=" + std::to_string(*wb) + " " + b + "=" + std::to_string(*wa);
}

Result<std::string> migrate_one(const Paths& paths, const std::string& a, const std::string& b,
                                uint64_t pick, bool forward) {
  auto procs = [&](const std::string& cg) -> Result<std::vector<std::string>> {
    auto text = read_text(paths.cgroup_root / cg / "cgroup.procs");
    if (!text) return text.error();
    std::vector<std::string> pids;
    size_t i = 0;
    while (i < text->size()) {
      size_t j = text->find('\n', i);
      if (j == std::string::npos) j = text->size();
      if (j > i) pids.push_back(text->substr(i, j - i));
      i = j + 1;
    }
    return pids;
  };
  std::string from = forward ? a : b, to = forward ? b : a;
  auto pids = procs(from);
  if (!pids) return pids.error();
  if (pids->empty()) {
    std::swap(from, to);
    pids = procs(from);
    if (!pids) return pids.error();
    if (pids->empty()) return make_error("no process in " + a + " or " + b + " to migrate");
  }
  const std::string& pid = (*pids)[pick % pids->size()];
  if (auto s = write_text(paths.cgroup_root / to / "cgroup.procs", pid); !s) return s.error();
  return "pid " + pid + " " + from + " -> " + to;
}

Status set_cpu_online(const std::filesystem::path& cpu_dir, int cpu, bool online) {
  return write_text(cpu_dir / ("cpu" + std::to_string(cpu)) / "online", online ? "1" : "0");
}

}  // namespace scxfarm::agent
