#include "scxfarm/kernelinfo/features.h"

#include <fmt/format.h>

namespace scxfarm::kernelinfo {

namespace {

using Kind = Symbol::Kind;

// What each feature means in BTF. The sub-scheduler symbols are the ones
// scx_qmap of the 7.3 tree uses (ops.sub_attach, ops.sub_caps_updated,
// scx_bpf_sub_grant/revoke); 7.3 has scx_bpf_sub_kill_bstr (qmap's
// scx_bpf_sub_kill() wraps it) and struct scx_event_stats in
// kernel/sched/ext/internal.h. The observer attaches tp_btf programs, which
// the kernel resolves through the btf_trace_<tracepoint> typedefs.
constexpr Symbol kSchedExt[] = {{Kind::kStruct, "", "sched_ext_ops"}};
constexpr Symbol kSubSched[] = {
    {Kind::kMember, "sched_ext_ops", "sub_attach"},
    {Kind::kMember, "sched_ext_ops", "sub_caps_updated"},
    {Kind::kFunc, "", "scx_bpf_sub_grant"},
    {Kind::kFunc, "", "scx_bpf_sub_revoke"},
};
constexpr Symbol kSubKill[] = {{Kind::kFuncPrefix, "", "scx_bpf_sub_kill"}};
constexpr Symbol kCid[] = {{Kind::kFunc, "", "scx_bpf_cpu_to_cid"}};
constexpr Symbol kSubRescue[] = {{Kind::kMember, "scx_event_stats", "SCX_EV_SUB_RESCUE"}};
constexpr Symbol kObserverHooks[] = {
    {Kind::kTypedef, "", "btf_trace_sched_switch"},
    {Kind::kTypedef, "", "btf_trace_sched_wakeup"},
    {Kind::kTypedef, "", "btf_trace_sched_wakeup_new"},
};
constexpr Symbol kReportedKfuncs[] = {
    {Kind::kFunc, "", "scx_bpf_sub_grant"},
    {Kind::kFunc, "", "scx_bpf_sub_revoke"},
    {Kind::kFuncPrefix, "", "scx_bpf_sub_kill"},
    {Kind::kFunc, "", "scx_bpf_cpu_to_cid"},
};

}  // namespace

std::string_view to_string(Feature feature) {
  return name_of(kFeatureSpellings, feature).value_or("unknown");
}

std::optional<Feature> feature_from_string(std::string_view name) {
  return value_of(kFeatureSpellings, name);
}

std::string feature_listing() {
  std::string out;
  for (const auto& [name, feature] : kFeatureSpellings) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string Symbol::describe() const {
  switch (kind) {
    case Kind::kStruct:
      return fmt::format("struct {}", name);
    case Kind::kMember:
      return fmt::format("{}.{}", owner, name);
    case Kind::kFunc:
      return fmt::format("kfunc {}", name);
    case Kind::kFuncPrefix:
      return fmt::format("kfunc {}*", name);
    case Kind::kTypedef:
      return fmt::format("typedef {}", name);
  }
  return std::string(name);
}

std::span<const Symbol> required_symbols(Feature feature) {
  switch (feature) {
    case Feature::kSchedExt:
      return kSchedExt;
    case Feature::kSubSched:
      return kSubSched;
    case Feature::kSubKill:
      return kSubKill;
    case Feature::kCid:
      return kCid;
    case Feature::kSubRescue:
      return kSubRescue;
    case Feature::kObserverHooks:
      return kObserverHooks;
  }
  return {};
}

std::span<const Symbol> reported_kfuncs() {
  return kReportedKfuncs;
}

const FeatureStatus* KernelFeatures::status(Feature feature) const {
  const std::string_view name = to_string(feature);
  for (const auto& f : features)
    if (f.name == name) return &f;
  return nullptr;
}

bool KernelFeatures::has(Feature feature) const {
  const FeatureStatus* s = status(feature);
  return s != nullptr && s->present;
}

std::string lacking_features(const KernelFeatures& features, std::span<const Feature> required) {
  std::string out;
  for (const Feature feature : required) {
    if (features.has(feature)) continue;
    const FeatureStatus* s = features.status(feature);
    if (!out.empty()) out += "; ";
    out += fmt::format("kernel lacks {} ({})", to_string(feature),
                       s ? s->reason : std::string("not probed"));
  }
  return out;
}

}  // namespace scxfarm::kernelinfo
