#include "scxfarm/report/report.h"

#include <cstdlib>

#include "console_text.h"
#include "scxfarm/common/spelling.h"

namespace scxfarm::report {
namespace {

constexpr Spellings<Kind, 11> kKindNames = {{
    {"kernel-panic", Kind::kPanic},
    {"oops", Kind::kOops},
    {"bug", Kind::kBug},
    {"warning", Kind::kWarning},
    {"soft-lockup", Kind::kSoftLockup},
    {"rcu-stall", Kind::kRcuStall},
    {"hung-task", Kind::kHungTask},
    {"sched-ext-exit", Kind::kSchedExtExit},
    {"verifier-reject", Kind::kVerifierReject},
    {"oom-kill", Kind::kOomKill},
    {"unexpected-reboot", Kind::kUnexpectedReboot},
}};

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string_view to_string(Kind kind) {
  if (auto name = name_of(kKindNames, kind)) return *name;
  std::abort();  // a Kind without a name is a bug in this file
}

bool kind_from_string(std::string_view name, Kind& kind) {
  auto value = value_of(kKindNames, name);
  if (value) kind = *value;
  return value.has_value();
}

std::string Report::signature() const {
  return std::string(to_string(kind)) + "|" + internal::normalize_for_signature(function) + "|" +
         internal::normalize_for_signature(reason);
}

std::string to_json(const std::vector<Report>& reports) {
  std::string out = "[";
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    if (i) out += ",";
    out += "{\"kind\":";
    append_json_string(out, to_string(r.kind));
    out += ",\"title\":";
    append_json_string(out, r.title);
    out += ",\"function\":";
    append_json_string(out, r.function);
    out += ",\"reason\":";
    append_json_string(out, r.reason);
    out += ",\"signature\":";
    append_json_string(out, r.signature());
    out += ",\"start_line\":" + std::to_string(r.start_line);
    out += ",\"end_line\":" + std::to_string(r.end_line);
    out += std::string(",\"truncated\":") + (r.truncated ? "true" : "false");
    out += ",\"excerpt\":[";
    for (size_t k = 0; k < r.excerpt.size(); ++k) {
      if (k) out += ",";
      append_json_string(out, r.excerpt[k]);
    }
    out += "]}";
  }
  out += "]";
  return out;
}

}  // namespace scxfarm::report
