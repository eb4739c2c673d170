// How enum values are written down (YAML, command lines, run.json, metrics
// labels). Each such enum has exactly one table of {name, value} pairs, next
// to the enum; its to_string / from_string, the config reader and the CLI
// all look names up in that table, so no spelling is written twice.
//
// Header-only, standard library only (see text.h for why).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace scxfarm {

template <typename E, size_t N>
using Spellings = std::array<std::pair<std::string_view, E>, N>;

// The name of VALUE; nullopt when TABLE lacks it (a bug in the table).
template <typename E, size_t N>
constexpr std::optional<std::string_view> name_of(const Spellings<E, N>& table, E value) {
  for (const auto& [name, v] : table) {
    if (v == value) return name;
  }
  return std::nullopt;
}

// The value named NAME; nullopt when no entry has that name.
template <typename E, size_t N>
constexpr std::optional<E> value_of(const Spellings<E, N>& table, std::string_view name) {
  for (const auto& [n, value] : table) {
    if (n == name) return value;
  }
  return std::nullopt;
}

}  // namespace scxfarm
