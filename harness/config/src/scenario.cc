#include <algorithm>
#include <map>
#include <set>

#include "faults.h"
#include "loaders.h"
#include "requirements.h"
#include "scxfarm/protocol/plan_check.h"
#include "scxfarm/protocol/plan_tree.h"

namespace scxfarm::config {

namespace detail {

namespace {

using protocol::CgroupSpec;
using protocol::ChurnSpec;
using protocol::SchedulerSpec;
using protocol::WorkloadSpec;

using protocol::ChurnKind;
using protocol::WorkloadKind;

// qmap flags a scenario may pass (the rest change what the farm measures or
// break the run: -e/-t/-T/-l error injection, -c set by the agent, ...).
// Flags with a value take it as the next item or glued ("-s5000").
struct QmapFlag {
  char flag;
  const char* value;  // nullptr: no value
  bool root_only;
};
const QmapFlag kQmapFlags[] = {
    {'s', "SLICE_US", false}, {'R', "MS", false},        {'B', "PPT", true}, {'I', nullptr, false},
    {'F', "COUNT", false},    {'J', "wrong-cid", false}, {'q', "US", true}};
const char* kQmapFlagListing =
    "-s SLICE_US, -R MS, -B PPT (root only), -I, -F COUNT, -J wrong-cid, -q US (root only)";

// The plan's rules are protocol::check_plan's; the loader reads the file and
// points each problem the check finds at where the file wrote it. Fields the
// loader could not read are left out of the check (their defaults would
// only echo the loader's own error).
class PlanSource {
 public:
  void note(const Field& f) { marks_.emplace(f.path, f.mark); }
  void unread(const std::string& field) { unread_.push_back(field); }

  // Reports PROBLEMS into DIAG, each at the mark of its field or of its
  // nearest noted parent (a key the file left out).
  void report(const std::vector<protocol::PlanProblem>& problems, Diagnostics& diag) const {
    for (const auto& p : problems) {
      const bool skipped = std::any_of(unread_.begin(), unread_.end(),
                                       [&](const std::string& u) { return within(p.field, u); });
      if (!skipped) diag.error(locate(p.field), p.field, p.message);
    }
  }

 private:
  // FIELD is ANCESTOR or a field inside it ("a[1].b" is within "a[1]").
  static bool within(const std::string& field, const std::string& ancestor) {
    if (field.rfind(ancestor, 0) != 0) return false;
    return field.size() == ancestor.size() || field[ancestor.size()] == '.' ||
           field[ancestor.size()] == '[';
  }
  YAML::Mark locate(std::string field) const {
    while (true) {
      if (auto it = marks_.find(field); it != marks_.end()) return it->second;
      if (field.empty()) return YAML::Mark::null_mark();
      const auto cut = field.find_last_of(".[");
      field = cut == std::string::npos ? "" : field.substr(0, cut);
    }
  }

  std::map<std::string, YAML::Mark> marks_;
  std::vector<std::string> unread_;
};

// getopt reads "-c", "-cPATH" as qmap's cgroup option.
bool is_cgroup_option(const std::string& arg) {
  return arg.size() >= 2 && arg[0] == '-' && arg[1] == 'c';
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void parse_scheduler(const Field& f, Diagnostics& diag, bool is_root, SchedulerSpec& out) {
  if (f.node.IsNull()) return;  // `scheduler:` alone means a qmap with defaults
  FieldReader r(f, diag);
  if (auto args = r.get("qmap_args")) {
    auto items = as_sequence(*args, diag).value_or(std::vector<Field>{});
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      auto arg = as_string(item, diag);
      if (!arg) continue;
      if (is_cgroup_option(*arg)) {
        diag.error(item.mark, item.path,
                   "'" + *arg +
                       "' is not allowed: the agent adds -c <cgroup path> itself from the "
                       "cgroup tree (remove it)");
        continue;
      }
      const QmapFlag* flag = nullptr;
      if (arg->size() >= 2 && (*arg)[0] == '-') {
        for (const auto& q : kQmapFlags)
          if (q.flag == (*arg)[1]) flag = &q;
      }
      if (!flag || (!flag->value && arg->size() != 2)) {
        diag.error(
            item.mark, item.path,
            "'" + *arg + "' is not an allowed qmap flag (allowed: " + kQmapFlagListing + ")");
        continue;
      }
      if (flag->root_only && !is_root) {
        diag.error(item.mark, item.path,
                   "'" + *arg + "' is for the root scheduler only (qmap ignores it on a child)");
      }
      out.qmap_args.push_back(*arg);
      if (!flag->value) continue;
      std::string value = arg->substr(2);
      const Field* at = &item;
      if (value.empty()) {
        if (i + 1 >= items.size()) {
          diag.error(item.mark, item.path, "'" + *arg + "' needs a value " + flag->value);
          continue;
        }
        at = &items[++i];
        auto v = as_string(*at, diag);
        if (!v) continue;
        value = *v;
        out.qmap_args.push_back(value);
      }
      const bool ok = flag->flag == 'J' ? value == "wrong-cid" : all_digits(value);
      if (!ok) {
        diag.error(
            at->mark, at->path,
            "'" + value + "' is not a valid " + flag->value + " for -" +
                std::string(1, flag->flag) +
                (flag->flag == 'J' ? " (allowed: wrong-cid)" : " (allowed: a decimal number)"));
      }
    }
  }
  r.finish();
}

// The required `name` of F into OUT. A missing or bad name leaves F unread
// in SOURCE: its path, and so its subtree's, is unknown.
void read_name(const Field& f, FieldReader& r, Diagnostics& diag, PlanSource& source,
               std::string& out) {
  auto name = r.require("name");
  if (name) source.note(*name);
  if (auto s = name ? as_string(*name, diag) : std::nullopt) {
    out = *s;
  } else {
    source.unread(f.path);
  }
}

void parse_workload(const Field& f, Diagnostics& diag, PlanSource& source, WorkloadSpec& out) {
  source.note(f);
  FieldReader r(f, diag);
  read_name(f, r, diag, source, out.name);
  const auto known = r.require_choice("kind", protocol::Spelled<WorkloadKind>::kNames);
  if (known) {
    out.kind = *known;
  } else {
    source.unread(f.path);
  }
  if (auto args = r.get("args")) source.note(*args);
  r.read("args", out.args);  // extra argv; default none
  r.finish();
}

void parse_cgroup(const Field& f, Diagnostics& diag, PlanSource& source, uint32_t depth,
                  CgroupSpec& out) {
  source.note(f);
  FieldReader r(f, diag);
  read_name(f, r, diag, source, out.name);
  r.read("weight", out.weight, protocol::kMinWeight, protocol::kMaxWeight);  // default 100
  if (auto s = r.get("scheduler")) {
    out.has_scheduler = true;
    parse_scheduler(*s, diag, /*is_root=*/false, out.scheduler);
  }
  if (auto workloads = r.get("workloads")) {
    source.note(*workloads);
    for (const auto& item : as_sequence(*workloads, diag).value_or(std::vector<Field>{})) {
      out.workloads.emplace_back();
      parse_workload(item, diag, source, out.workloads.back());
    }
  }
  // Deeper than allowed: check_plan reports this one, and its children are
  // not read (the recursion stays bounded).
  if (auto children = r.get("children"); children && depth <= protocol::kMaxCgroupDepth) {
    for (const auto& item : as_sequence(*children, diag).value_or(std::vector<Field>{})) {
      out.children.emplace_back();
      parse_cgroup(item, diag, source, depth + 1, out.children.back());
    }
  }
  r.finish();
}

void parse_churn(const Field& f, Diagnostics& diag, PlanSource& source, ChurnSpec& out) {
  source.note(f);
  FieldReader r(f, diag);
  const auto known = r.require_choice("kind", protocol::Spelled<ChurnKind>::kNames);
  if (known) {
    out.kind = *known;
  } else {
    source.unread(f.path);  // every rule of a driver depends on its kind
  }
  // Which targets each kind needs is check_plan's.
  if (auto targets = r.get("targets")) {
    source.note(*targets);
    auto items = as_sequence(*targets, diag);
    if (!items) source.unread(targets->path);
    for (const auto& item : items.value_or(std::vector<Field>{})) {
      source.note(item);
      if (auto target = as_string(item, diag)) {
        out.targets.push_back(*target);
      } else {
        source.unread(targets->path);  // the plan's indices no longer match the file's
      }
    }
  }
  r.read("period_ms", out.period_ms, 10, 600000);  // default 500
  if (auto at = r.get("at_ms")) {  // timed script, ms since churn start; default none
    for (const auto& item : as_sequence(*at, diag).value_or(std::vector<Field>{})) {
      if (auto v = as_uint(item, diag, 0, 86400000)) out.at_ms.push_back(static_cast<uint32_t>(*v));
    }
  }
  if (known == ChurnKind::kWeightRandom) {
    r.read("min_weight", out.min_weight, protocol::kMinWeight, protocol::kMaxWeight);  // default 1
    r.read("max_weight", out.max_weight, protocol::kMinWeight,
           protocol::kMaxWeight);  // default 10000
  }
  if (known == ChurnKind::kHotplug) {
    if (auto cpus = r.get("cpus")) {
      source.note(*cpus);
      auto items = as_sequence(*cpus, diag);
      if (!items) source.unread(cpus->path);
      for (const auto& item : items.value_or(std::vector<Field>{})) {
        source.note(item);
        if (auto v = as_uint(item, diag, 0, 4095)) {
          out.cpus.push_back(static_cast<uint32_t>(*v));
        } else {
          source.unread(cpus->path);
        }
      }
    }
  }
  r.finish();
}

// One expect.exits entry: a cgroup path ("A/A1", "/" = the root scheduler),
// or {cgroup: PATH, reason: TEXT}.
template <typename WithScheduler>
std::optional<ExpectedExit> parse_expected_exit(const Field& item, Diagnostics& diag,
                                                const WithScheduler& with_scheduler,
                                                const std::string& scheduler_listing) {
  ExpectedExit out;
  Field path_field = item;
  if (item.node.IsMap()) {
    FieldReader er(item, diag);
    auto cgroup = er.require("cgroup");
    if (auto reason = er.get("reason")) {
      if (auto text = as_string(*reason, diag)) {
        out.reason = *text;
        if (text->empty())
          diag.error(reason->mark, reason->path,
                     "empty reason (leave `reason` out to accept any reason)");
      }
    }
    er.finish();
    if (!cgroup) return std::nullopt;
    path_field = *cgroup;
  } else if (!item.node.IsScalar()) {
    diag.error(
        item.mark, item.path,
        "expected a cgroup path or {cgroup: PATH, reason: TEXT}, got " + describe(item.node));
    return std::nullopt;
  }
  auto path = as_string(path_field, diag);
  if (!path) return std::nullopt;
  out.cgroup = *path == "/" ? "" : *path;
  if (!out.cgroup.empty() && !with_scheduler(out.cgroup)) {
    diag.error(
        path_field.mark, path_field.path,
        "'" + *path + "' is not a cgroup with a scheduler (allowed: /, " + scheduler_listing + ")");
    return std::nullopt;
  }
  return out;
}

void parse_expect(const Field& f, Diagnostics& diag, const protocol::ScenarioPlan& plan,
                  Expectations& out) {
  const protocol::PlanTree tree(plan);
  auto with_scheduler = [&](const std::string& path) {
    const protocol::PlanCgroup* cg = tree.cgroup(path);
    return cg && cg->has_scheduler;
  };
  const std::string scheduler_listing = protocol::path_listing(tree.scheduler_cgroups());
  FieldReader r(f, diag);
  auto min_ops = r.get("min_churn_ops");
  if (min_ops) {
    if (auto v = as_uint(*min_ops, diag, 0, UINT32_MAX))
      out.min_churn_ops = static_cast<uint32_t>(*v);
  }
  if (auto caps = r.get("caps_change")) {
    std::set<std::string> seen;
    for (const auto& item : as_sequence(*caps, diag).value_or(std::vector<Field>{})) {
      auto path = as_string(item, diag);
      if (!path) continue;
      if (!tree.cgroup(*path)) {
        diag.error(item.mark, item.path,
                   "'" + *path + "' is not a cgroup of this scenario (cgroups with a scheduler: " +
                       scheduler_listing + ")");
      } else if (!with_scheduler(*path)) {
        diag.error(item.mark, item.path,
                   "cgroup '" + *path +
                       "' has no scheduler (cgroups with a scheduler: " + scheduler_listing + ")");
      } else if (!seen.insert(*path).second) {
        diag.error(item.mark, item.path, "'" + *path + "' is listed twice");
      }
      out.caps_change.push_back(*path);
    }
  }
  r.read("all_schedulers_attach", out.all_schedulers_attach);  // default true
  if (auto exits = r.get("exits")) {
    std::set<std::string> seen;
    for (const auto& item : as_sequence(*exits, diag).value_or(std::vector<Field>{})) {
      if (auto e = parse_expected_exit(item, diag, with_scheduler, scheduler_listing)) {
        if (!seen.insert(e->cgroup).second)
          diag.error(item.mark, item.path,
                     "'" + (e->cgroup.empty() ? std::string("/") : e->cgroup) +
                         "' is listed twice (one entry per qmap)");
        out.exits.push_back(std::move(*e));
      }
    }
  }
  r.read("max_starvation_ms", out.max_starvation_ms, 0, 600000);  // default 5000, 0 = off
  r.read("partition_matches_caps", out.partition_matches_caps);   // default false
  if (auto inj = r.get("injection")) {
    FieldReader ir(*inj, diag);
    if (auto cg = ir.require("cgroup")) {
      if (auto path = as_string(*cg, diag)) {
        out.injection_cgroup = *path;
        if (!with_scheduler(*path))
          diag.error(cg->mark, cg->path,
                     "'" + *path +
                         "' is not a cgroup with a scheduler (allowed: " + scheduler_listing + ")");
      }
    }
    if (auto mode = ir.require("mode")) {
      if (auto m = as_string(*mode, diag)) {
        out.injection_mode = *m;
        if (*m != "bounce" && *m != "rescue")
          diag.error(mode->mark, mode->path,
                     "'" + *m + "' is not allowed (allowed: bounce, rescue)");
      }
    }
    ir.read("min_attempts", out.injection_min_attempts, 1, UINT32_MAX);  // default 1
    ir.finish();
  }
  r.finish();

  // An expectation no run can meet is a config bug, not a kernel bug.
  uint64_t possible = 0;
  const uint32_t churn_end = plan.duration_ms - std::min(plan.settle_ms, plan.duration_ms);
  for (const auto& c : plan.churn) {
    if (!c.at_ms.empty()) {
      possible += c.at_ms.size();
    } else {
      possible += c.period_ms ? churn_end / c.period_ms : 0;
    }
  }
  if (min_ops && out.min_churn_ops > possible) {
    diag.error(min_ops->mark, min_ops->path,
               std::to_string(out.min_churn_ops) + " can never be met: the churn applies at most " +
                   std::to_string(possible) + " ops in duration_s (allowed: 0.." +
                   std::to_string(possible) + ")");
  }
}

}  // namespace

void parse_scenario(const Field& root, Diagnostics& diag, ScenarioConfig& out) {
  auto& plan = out.plan;
  plan.name = diag.file().stem().string();
  FieldReader r(root, diag);
  r.read("description", out.description);
  r.read("seed", plan.seed, 0, UINT64_MAX);       // default 1
  uint32_t duration_s = plan.duration_ms / 1000;  // default 30
  r.read("duration_s", duration_s, 1, 86400);
  plan.duration_ms = duration_s * 1000;
  r.read("sample_interval_ms", plan.sample_interval_ms, 50, 60000);    // default 250
  r.read("qmap_stats_interval_s", plan.qmap_stats_interval_s, 1, 60);  // default 1
  r.read("attach_timeout_ms", plan.attach_timeout_ms, 1000, 600000);   // default 30000
  r.read("settle_ms", plan.settle_ms, 0, 600000);                      // default 0
  if (auto f = r.get("root_scheduler"))
    parse_scheduler(*f, diag, /*is_root=*/true, plan.root_scheduler);

  PlanSource source;
  source.note(root);
  if (auto f = r.get("cgroups")) {
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      plan.cgroups.emplace_back();
      parse_cgroup(item, diag, source, 1, plan.cgroups.back());
    }
  }
  if (auto f = r.get("churn")) {
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      plan.churn.emplace_back();
      parse_churn(item, diag, source, plan.churn.back());
    }
  }
  source.report(protocol::check_plan(plan), diag);
  if (auto f = r.get("expect")) parse_expect(*f, diag, plan, out.expect);
  if (auto f = r.get("faults")) parse_faults(*f, diag, plan);  // default none
  r.read("exclusive", out.exclusive);                          // default false
  parse_requires(r.get("requires"), diag, out);                // default: the implicit ones
  r.finish();
}

}  // namespace detail

Result<ScenarioConfig> load_scenario(const std::filesystem::path& path) {
  return detail::load_with<ScenarioConfig>(path, detail::parse_scenario);
}

}  // namespace scxfarm::config
