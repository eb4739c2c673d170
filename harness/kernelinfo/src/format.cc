#include <fmt/format.h>

#include "scxfarm/common/text.h"
#include "scxfarm/kernelinfo/features.h"

namespace scxfarm::kernelinfo {

namespace {
// "  events (21): SELECT_CPU_FALLBACK DISPATCH_LOCAL_DSQ_OFFLINE ..." wrapped
// at about 100 columns, continuation lines indented under the first name.
std::string wrapped_list(std::string_view label, const std::vector<std::string>& items,
                         std::string_view strip_prefix) {
  std::string head = fmt::format("  {} ({}):", label, items.size());
  if (items.empty()) return head + " none\n";
  const std::string indent(head.size(), ' ');
  std::string out, line = head;
  for (std::string_view item : items) {
    if (item.starts_with(strip_prefix)) item.remove_prefix(strip_prefix.size());
    if (line.size() + 1 + item.size() > 100 && line != head) {
      out += line + "\n";
      line = indent;
    }
    line += " ";
    line += item;
  }
  return out + line + "\n";
}
}  // namespace

std::string summarize_features(const KernelFeatures& f) {
  std::vector<std::string> has, lacks;
  for (const auto& feature : f.features) (feature.present ? has : lacks).push_back(feature.name);
  std::string out = "has " + (has.empty() ? std::string("none") : text::join(has, ", "));
  if (!lacks.empty()) out += "; lacks " + text::join(lacks, ", ");
  return out;
}

std::string format_features(std::string_view kernel_name, const KernelFeatures& f) {
  std::string out = fmt::format("kernel {}: {}\n", kernel_name, f.vmlinux);
  out += fmt::format("  BTF: {} types, probed in {:.0f} ms\n", f.btf_types, f.probe_ms);
  for (const auto& feature : f.features)
    out += fmt::format("  {:<15} {}\n", feature.name,
                       feature.present ? std::string("yes") : "NO: " + feature.reason);
  out += wrapped_list("kfuncs", f.kfuncs, "");
  out += wrapped_list("events", f.events, "SCX_EV_");
  return out;
}

nlohmann::json kernel_info_json(std::string_view kernel_name, const KernelFeatures& features) {
  nlohmann::json j = features;
  j["kernel"] = std::string(kernel_name);
  return j;
}

}  // namespace scxfarm::kernelinfo
