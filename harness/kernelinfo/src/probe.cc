#include "scxfarm/kernelinfo/probe.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "scxfarm/common/text.h"

namespace fs = std::filesystem;

namespace scxfarm::kernelinfo {

namespace {

// libbpf reports why a parse failed through its global print callback, not
// in its return value: while a probe runs, its warnings are collected for
// the error message instead of going to stderr. libbpf's print hook is
// process-wide, hence the lock.
std::mutex g_print_mu;
std::string* g_libbpf_messages = nullptr;

int collect_libbpf_message(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG || g_libbpf_messages == nullptr) return 0;
  char line[512];
  const int n = std::vsnprintf(line, sizeof(line), format, args);
  const std::string_view trimmed = text::trim(line);
  if (!trimmed.empty()) {
    if (!g_libbpf_messages->empty()) *g_libbpf_messages += "; ";
    *g_libbpf_messages += trimmed;
  }
  return n;
}

class LibbpfMessages {
 public:
  LibbpfMessages() : lock_(g_print_mu) {
    g_libbpf_messages = &messages_;
    previous_ = libbpf_set_print(collect_libbpf_message);
  }
  ~LibbpfMessages() {
    libbpf_set_print(previous_);
    g_libbpf_messages = nullptr;
  }
  const std::string& text() const { return messages_; }

 private:
  std::lock_guard<std::mutex> lock_;
  std::string messages_;
  libbpf_print_fn_t previous_ = nullptr;
};

struct BtfFree {
  void operator()(btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<btf, BtfFree>;

// The BTF, read once into what the lookups need.
class BtfIndex {
 public:
  explicit BtfIndex(const btf* b) : btf_(b) {
    // Every function starting with scx_bpf_ (the only prefix looked up),
    // in BTF order: kfuncs are BTF_KIND_FUNC like every other function.
    const uint32_t count = btf__type_cnt(b);
    for (uint32_t id = 1; id < count; ++id) {
      const btf_type* t = btf__type_by_id(b, id);
      if (t == nullptr || !btf_is_func(t)) continue;
      const std::string_view name = btf__name_by_offset(b, t->name_off);
      if (name.starts_with("scx_bpf_")) scx_funcs_.emplace_back(name);
    }
  }

  bool has(const Symbol& s) {
    switch (s.kind) {
      case Symbol::Kind::kStruct:
        return find(s.name, BTF_KIND_STRUCT) > 0;
      case Symbol::Kind::kMember:
        return members(s.owner).count(std::string(s.name)) > 0;
      case Symbol::Kind::kFunc:
        return find(s.name, BTF_KIND_FUNC) > 0;
      case Symbol::Kind::kFuncPrefix:
        return !funcs_with_prefix(s.name).empty();
      case Symbol::Kind::kTypedef:
        return find(s.name, BTF_KIND_TYPEDEF) > 0;
    }
    return false;
  }

  std::vector<std::string> funcs_with_prefix(std::string_view prefix) const {
    std::vector<std::string> out;
    for (const auto& name : scx_funcs_)
      if (name.starts_with(prefix)) out.push_back(name);
    return out;
  }

  // The member names of struct OWNER in declaration order (anonymous
  // structs and unions flattened, as C sees them); empty if no such struct.
  std::vector<std::string> ordered_members(std::string_view owner) const {
    std::vector<std::string> out;
    const int id = find(owner, BTF_KIND_STRUCT);
    if (id > 0) add_members(btf__type_by_id(btf_, id), out, 0);
    return out;
  }

 private:
  int find(std::string_view name, uint32_t kind) const {
    return btf__find_by_name_kind(btf_, std::string(name).c_str(), kind);
  }

  const std::set<std::string>& members(std::string_view owner) {
    auto [it, fresh] = members_.try_emplace(std::string(owner));
    if (fresh) {
      const auto names = ordered_members(owner);
      it->second.insert(names.begin(), names.end());
    }
    return it->second;
  }

  void add_members(const btf_type* t, std::vector<std::string>& out, int depth) const {
    if (t == nullptr || !btf_is_composite(t) || depth > 8) return;
    const btf_member* m = btf_members(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
      const std::string_view name = btf__name_by_offset(btf_, m->name_off);
      if (!name.empty()) {
        out.emplace_back(name);
        continue;
      }
      // An anonymous struct or union: its members are the outer struct's.
      const btf_type* inner = btf__type_by_id(btf_, m->type);
      while (inner != nullptr && (btf_is_mod(inner) || btf_is_typedef(inner)))
        inner = btf__type_by_id(btf_, inner->type);
      add_members(inner, out, depth + 1);
    }
  }

  const btf* btf_;
  std::vector<std::string> scx_funcs_;
  std::map<std::string, std::set<std::string>> members_;
};

}  // namespace

Result<KernelFeatures> probe_btf(const fs::path& vmlinux) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!fs::is_regular_file(vmlinux, ec))
    return make_error(vmlinux.string() + ": no such file (expected a vmlinux with BTF)");

  BtfPtr parsed;
  {
    LibbpfMessages messages;
    parsed.reset(btf__parse(vmlinux.c_str(), nullptr));
    if (!parsed) {
      const int error = errno;
      std::string what = vmlinux.string() +
                         ": no readable BTF (neither an ELF with a .BTF section nor raw BTF): " +
                         std::strerror(error);
      if (!messages.text().empty()) what += " (libbpf: " + messages.text() + ")";
      return make_error(what);
    }
  }

  BtfIndex index(parsed.get());
  KernelFeatures out;
  out.vmlinux = vmlinux.string();
  out.btf_types = btf__type_cnt(parsed.get()) - 1;
  for (const auto& [name, feature] : kFeatureSpellings) {
    FeatureStatus status{std::string(name), true, {}, ""};
    for (const Symbol& symbol : required_symbols(feature))
      if (!index.has(symbol)) status.missing.push_back(symbol.describe());
    if (!status.missing.empty()) {
      status.present = false;
      status.reason = "no " + text::join(status.missing, ", ") + " in the kernel's BTF";
    }
    out.features.push_back(std::move(status));
  }
  for (const Symbol& kfunc : reported_kfuncs())
    for (const auto& name : index.funcs_with_prefix(kfunc.name))
      if (kfunc.kind == Symbol::Kind::kFuncPrefix || name == kfunc.name) out.kfuncs.push_back(name);
  for (const auto& member : index.ordered_members("scx_event_stats"))
    if (member.starts_with("SCX_EV_")) out.events.push_back(member);
  out.probe_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace scxfarm::kernelinfo
