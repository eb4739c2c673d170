// Small text helpers every part of the farm needs: trimming, splitting,
// whole-string number parsing, line iteration.
//
// Header-only and standard-library-only on purpose: the guest agent compiles
// against harness/common/include with g++ 14 without building the common
// library (see guest/CMakeLists.txt), so nothing here may need a .cc file.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace scxfarm::text {

// ASCII whitespace, as isspace() in the C locale.
inline constexpr std::string_view kWhitespace = " \t\n\r\v\f";

inline bool is_space(char c) {
  return kWhitespace.find(c) != std::string_view::npos;
}

// S without leading and trailing characters from CHARS (whitespace by default).
inline std::string_view trim(std::string_view s, std::string_view chars = kWhitespace) {
  const size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

// The parts of S between SEP, empty ones included: "a,,b" -> {"a", "", "b"},
// "" -> {""}.
inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// PARTS with SEP between them: the inverse of split.
template <typename Strings>
std::string join(const Strings& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out.append(sep);
    first = false;
    out.append(part);
  }
  return out;
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

// S in double quotes, for messages: "\"0-3\"".
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s);
  out += '"';
  return out;
}

}  // namespace scxfarm::text
