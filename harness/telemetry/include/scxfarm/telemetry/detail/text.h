// Small text helpers shared by the telemetry parsers. Not API: it lives under
// include/ only so that builds compiling src/*.cc with just the include paths
// (the guest agent) find it.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace scxfarm::telemetry::detail {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Whitespace-separated tokens.
inline std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// The whole of S as an unsigned decimal: no sign, no spaces, no suffix.
template <typename T>
std::optional<T> parse_unsigned(std::string_view s) {
  T value{};
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// The whole of S as a plain decimal number ("50.00", "120.5"). from_chars
// for double is in both libstdc++ 12 and 14.
inline std::optional<double> parse_double(std::string_view s) {
  double value = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Calls FN(line_number, line) for each line of TEXT, 1-based, without the
// newline; a final newline does not start an extra line.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  size_t number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    ++number;
    fn(number, line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s);
  out += '"';
  return out;
}

}  // namespace scxfarm::telemetry::detail
