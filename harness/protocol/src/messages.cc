#include "scxfarm/protocol/messages.h"

#include <charconv>

namespace scxfarm::protocol {

void to_json(nlohmann::json& j, const ChurnOp& op) {
  j = {{"t_ms", op.t_ms}, {"kind", op.kind},   {"targets", op.targets}, {"detail", op.detail},
       {"ok", op.ok},     {"error", op.error}, {"stage", op.stage}};
  if (op.cpu >= 0) j["cpu"] = op.cpu;
}

void from_json(const nlohmann::json& j, ChurnOp& op) {
  const ChurnOp d;
  op.t_ms = j.value("t_ms", d.t_ms);
  op.kind = j.value("kind", d.kind);
  op.detail = j.value("detail", d.detail);
  op.ok = j.value("ok", d.ok);
  op.error = j.value("error", d.error);
  op.stage = j.value("stage", d.stage);
  op.cpu = j.value("cpu", d.cpu);
  op.targets.clear();
  if (j.contains("targets")) {
    j.at("targets").get_to(op.targets);
    return;
  }
  // Protocol 1-2: "A,B", or "cpu3" for hotplug.
  const std::string joined = j.value("target", std::string());
  if (op.kind == ChurnKind::kHotplug && joined.rfind("cpu", 0) == 0) {
    std::from_chars(joined.data() + 3, joined.data() + joined.size(), op.cpu);  // else stays -1
    return;
  }
  for (size_t i = 0; i < joined.size();) {
    size_t comma = joined.find(',', i);
    if (comma == std::string::npos) comma = joined.size();
    if (comma > i) op.targets.push_back(joined.substr(i, comma - i));
    i = comma + 1;
  }
}

std::optional<Envelope> decode_line(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto it = j.find("type");
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return Envelope{it->get<std::string>(), std::move(j)};
}

void LineBuffer::feed(const char* data, size_t size) {
  buffer_.append(data, size);
}

std::optional<std::string> LineBuffer::next() {
  size_t nl = buffer_.find('\n', scan_from_);
  if (nl == std::string::npos) {
    if (buffer_.size() > kMaxLine) {
      std::string cut = buffer_.substr(0, kMaxLine);
      buffer_.erase(0, kMaxLine);
      scan_from_ = 0;
      return cut;
    }
    scan_from_ = buffer_.size();
    return std::nullopt;
  }
  std::string line = buffer_.substr(0, nl);
  buffer_.erase(0, nl + 1);
  scan_from_ = 0;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace scxfarm::protocol
