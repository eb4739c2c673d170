// What a kernel offers the farm, as its BTF says: a closed vocabulary of
// features (spelled once, below), each defined by the BTF symbols it needs.
// Scenarios name the features they require (`requires:`, configs/README.md);
// a run whose kernel lacks one is skipped with the missing symbols named.
// probe.h fills KernelFeatures from a vmlinux; run.json records it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/spelling.h"

namespace scxfarm::kernelinfo {

enum class Feature {
  kSchedExt,       // sched_ext at all: struct sched_ext_ops
  kSubSched,       // sub-schedulers: ops.sub_attach/sub_caps_updated, grant/revoke kfuncs
  kSubKill,        // a parent kills a child sub-scheduler: scx_bpf_sub_kill* kfuncs
  kCid,            // cpu <-> cid mapping: scx_bpf_cpu_to_cid
  kSubRescue,      // inserts onto unheld cids rescued and counted: SCX_EV_SUB_RESCUE
  kObserverHooks,  // tracepoints a BPF observer attaches to (tp_btf sched_switch/wakeup*)
};

inline constexpr Spellings<Feature, 6> kFeatureSpellings = {{
    {"sched-ext", Feature::kSchedExt},
    {"sub-sched", Feature::kSubSched},
    {"sub-kill", Feature::kSubKill},
    {"cid", Feature::kCid},
    {"sub-rescue", Feature::kSubRescue},
    {"observer-hooks", Feature::kObserverHooks},
}};

std::string_view to_string(Feature feature);
std::optional<Feature> feature_from_string(std::string_view name);
// "sched-ext, sub-sched, ...": the allowed values, for error messages.
std::string feature_listing();

// One BTF symbol a feature needs.
struct Symbol {
  enum class Kind {
    kStruct,      // a struct named NAME
    kMember,      // a member NAME of struct OWNER
    kFunc,        // a function (BTF_KIND_FUNC) named NAME
    kFuncPrefix,  // at least one function whose name starts with NAME
    kTypedef,     // a typedef named NAME (tp_btf hooks: btf_trace_<tracepoint>)
  };
  Kind kind;
  std::string_view owner;  // the struct of a member; empty otherwise
  std::string_view name;

  // How reasons and `kernel info` name it: "struct sched_ext_ops",
  // "sched_ext_ops.sub_attach", "kfunc scx_bpf_sub_grant",
  // "kfunc scx_bpf_sub_kill*", "typedef btf_trace_sched_switch".
  std::string describe() const;
};

// The symbols FEATURE needs, every one of them.
std::span<const Symbol> required_symbols(Feature feature);

// The kfuncs the probe reports by name (present ones only), beyond the
// features: sub-scheduler grant/revoke/kill and the cid mapping.
std::span<const Symbol> reported_kfuncs();

// One feature of one kernel. Names are strings so that a run.json written by
// a farm with a larger vocabulary still reads.
struct FeatureStatus {
  std::string name;                  // the feature's spelling, e.g. "sub-sched"
  bool present = false;              // every required symbol is in the BTF
  std::vector<std::string> missing;  // Symbol::describe() of each absent symbol
  std::string reason;                // "" when present, else names the missing symbols

  bool operator==(const FeatureStatus&) const = default;
};

struct KernelFeatures {
  std::string vmlinux;                  // the file probed
  uint32_t btf_types = 0;               // types in its BTF (btf__type_cnt - 1)
  double probe_ms = 0;                  // how long parsing and looking up took, ms
  std::vector<FeatureStatus> features;  // every feature, in vocabulary order; empty = not probed
  std::vector<std::string> kfuncs;      // present among reported_kfuncs(), in its order
  std::vector<std::string> events;      // SCX_EV_* members of struct scx_event_stats, in order

  bool probed() const { return !features.empty(); }
  // The feature's status; nullptr when this record does not know it.
  const FeatureStatus* status(Feature feature) const;
  bool has(Feature feature) const;

  bool operator==(const KernelFeatures&) const = default;
};

// Why a kernel with FEATURES cannot run something that REQUIRES these
// features: "kernel lacks sub-sched (no sched_ext_ops.sub_attach, ...)", one
// clause per missing feature joined by "; "; "" when nothing is missing.
std::string lacking_features(const KernelFeatures& features, std::span<const Feature> required);

// One line for progress logs: "has sched-ext, sub-sched; lacks cid".
std::string summarize_features(const KernelFeatures& features);

// The probe for `scxfarm kernel info`, readable: one line per feature,
// then the kfuncs and the SCX_EV_* events.
std::string format_features(std::string_view kernel_name, const KernelFeatures& features);

// The same as JSON (`scxfarm kernel info --json`): the record's fields and
// "kernel": KERNEL_NAME.
nlohmann::json kernel_info_json(std::string_view kernel_name, const KernelFeatures& features);

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FeatureStatus, name, present, missing, reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(KernelFeatures, vmlinux, btf_types, probe_ms,
                                                features, kfuncs, events)

}  // namespace scxfarm::kernelinfo
