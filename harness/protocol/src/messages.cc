#include "scxfarm/protocol/messages.h"

namespace scxfarm::protocol {

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
