// Small text helpers shared by the parsers (private to the library).
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scxfarm::workloads::detail {

// Lines split on '\n' and '\r' (progress output rewrites a line with '\r').
inline std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      if (i > start) out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

inline std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// The whole of S as a finite number, or nothing.
inline std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The number right after KEY (spaces allowed between), e.g. "Max:   6503".
inline std::optional<double> number_after(std::string_view line, std::string_view key) {
  const size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + key.size();
  while (i < line.size() && line[i] == ' ') ++i;
  size_t j = i;
  while (j < line.size() && line[j] != ' ') ++j;
  return number(line.substr(i, j - i));
}

// First line of TEXT, shortened, for error messages.
inline std::string excerpt(std::string_view text) {
  auto lines = lines_of(text);
  if (lines.empty()) return "(no output)";
  std::string s(lines.back().substr(0, 120));
  return "last line: '" + s + "'";
}

}  // namespace scxfarm::workloads::detail
