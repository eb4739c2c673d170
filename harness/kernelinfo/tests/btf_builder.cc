#include "btf_builder.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "scxfarm/common/fs.h"

namespace fs = std::filesystem;

namespace scxfarm::kernelinfo::testing {

namespace {

struct BtfFree {
  void operator()(btf* b) const { btf__free(b); }
};

// Adds struct NAME with MEMBERS (each an unsigned long at its own offset);
// UNION_MEMBERS, if any, go into one anonymous union after them.
void add_struct(btf* b, int ulong, const std::string& name, const std::vector<std::string>& members,
                const std::vector<std::string>& union_members = {}) {
  int anon_union = 0;
  if (!union_members.empty()) {
    anon_union = btf__add_union(b, nullptr, 8);
    ASSERT_GT(anon_union, 0);
    for (const auto& m : union_members) ASSERT_EQ(btf__add_field(b, m.c_str(), ulong, 0, 0), 0);
  }
  const size_t fields = members.size() + (union_members.empty() ? 0 : 1);
  ASSERT_GT(btf__add_struct(b, name.c_str(), static_cast<uint32_t>(8 * fields)), 0);
  uint32_t offset_bits = 0;
  for (const auto& m : members) {
    ASSERT_EQ(btf__add_field(b, m.c_str(), ulong, offset_bits, 0), 0);
    offset_bits += 64;
  }
  if (anon_union) {
    ASSERT_EQ(btf__add_field(b, nullptr, anon_union, offset_bits, 0), 0);
  }
}

}  // namespace

KernelShape kernel_7_3() {
  KernelShape k;
  k.sched_ext_ops = {"select_cpu",
                     "enqueue",
                     "dispatch",
                     "cgroup_set_idle",
                     "sub_attach",
                     "sub_detach",
                     "sub_caps_updated",
                     "sub_ecaps_updated",
                     "init_cids",
                     "init",
                     "exit",
                     "name"};
  k.functions = {"schedule",
                 "scx_bpf_dsq_insert",
                 "scx_bpf_cpu_to_cid",
                 "scx_bpf_cpu_to_cid_impl",
                 "scx_bpf_sub_grant",
                 "scx_bpf_sub_grant_impl",
                 "scx_bpf_sub_kill_bstr",
                 "scx_bpf_sub_kill_bstr_impl",
                 "scx_bpf_sub_revoke"};
  k.event_stats = {"SCX_EV_SELECT_CPU_FALLBACK", "SCX_EV_REENQ_IMMED", "SCX_EV_SUB_RESCUE"};
  k.typedefs = {"btf_trace_sched_switch", "btf_trace_sched_wakeup", "btf_trace_sched_wakeup_new"};
  return k;
}

KernelShape kernel_6_12() {
  KernelShape k;
  k.sched_ext_ops = {"select_cpu", "enqueue", "dispatch", "cgroup_set_weight",
                     "cpu_online", "init",    "exit",     "name"};
  k.functions = {"schedule", "scx_bpf_dispatch", "scx_bpf_consume", "scx_bpf_kick_cpu"};
  k.typedefs = {"btf_trace_sched_switch", "btf_trace_sched_wakeup", "btf_trace_sched_wakeup_new"};
  return k;
}

void write_raw_btf(const KernelShape& shape, const fs::path& file) {
  std::unique_ptr<btf, BtfFree> b(btf__new_empty());
  ASSERT_TRUE(b);
  const int ulong = btf__add_int(b.get(), "unsigned long", 8, 0);
  ASSERT_GT(ulong, 0);
  if (!shape.sched_ext_ops.empty() || !shape.union_ops_members.empty())
    add_struct(b.get(), ulong, "sched_ext_ops", shape.sched_ext_ops, shape.union_ops_members);
  if (!shape.event_stats.empty()) add_struct(b.get(), ulong, "scx_event_stats", shape.event_stats);
  const int proto = btf__add_func_proto(b.get(), ulong);
  ASSERT_GT(proto, 0);
  for (const auto& f : shape.functions)
    ASSERT_GT(btf__add_func(b.get(), f.c_str(), BTF_FUNC_GLOBAL, proto), 0);
  for (const auto& t : shape.typedefs) ASSERT_GT(btf__add_typedef(b.get(), t.c_str(), proto), 0);
  uint32_t size = 0;
  const void* raw = btf__raw_data(b.get(), &size);
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(write_file_atomic(file, std::string(static_cast<const char*>(raw), size)).ok());
}

fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("scxfarm-kernelinfo-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace scxfarm::kernelinfo::testing
