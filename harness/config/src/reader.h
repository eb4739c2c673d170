// Strict YAML reading shared by every config loader (private to the library).
//
// Diagnostics collects all errors of one file as "FILE:LINE:COL: FIELD: what
// (allowed: ...)" lines, so a user fixes a file in one pass. FieldReader wraps
// one YAML mapping: it remembers every key a loader asks for, so whatever is
// left over is reported as an unknown key together with the allowed keys, and
// each loader stays a flat list of reads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/common/spelling.h"

namespace scxfarm::config::detail {

class Diagnostics {
 public:
  explicit Diagnostics(std::filesystem::path file) : file_(std::move(file)) {}

  // MARK is yaml-cpp's 0-based mark; printed 1-based. FIELD may be empty.
  void error(const YAML::Mark& mark, std::string_view field, std::string_view message);
  // An error about the file as a whole (unreadable, empty, badly named).
  void file_error(std::string_view message);

  bool ok() const { return errors_.empty(); }
  // All errors, in file order, one per line.
  std::vector<std::string> lines() const;
  Error to_error() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  struct Entry {
    int line;
    int column;
    size_t seq;
    std::string text;
  };
  std::filesystem::path file_;
  std::vector<Entry> errors_;
};

// One value together with where it came from.
struct Field {
  YAML::Node node;
  std::string path;  // e.g. "cgroups[0].children[1].weight"
  YAML::Mark mark;   // of the value, or of its key when the value is empty
};

// "a.b" / "a[3]" path building; an empty parent gives just the child.
std::string join_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, size_t index);

// Typed conversions. Each records an error (wrong type, out of range) and
// returns nullopt when the value cannot be used. Integers and booleans must
// be plain scalars: "100" in quotes is a string, not a number.
std::optional<uint64_t> as_uint(const Field& f, Diagnostics& diag, uint64_t min, uint64_t max);
std::optional<double> as_double(const Field& f, Diagnostics& diag);
std::optional<bool> as_bool(const Field& f, Diagnostics& diag);
std::optional<std::string> as_string(const Field& f, Diagnostics& diag);
// The elements of a sequence, each with its "path[i]".
std::optional<std::vector<Field>> as_sequence(const Field& f, Diagnostics& diag);
std::optional<std::vector<std::string>> as_string_list(const Field& f, Diagnostics& diag);

// How a node looks, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);
// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

class FieldReader {
 public:
  // NODE should be a mapping; if it is not (or has duplicate keys), errors
  // are recorded. A non-mapping makes every read find nothing.
  FieldReader(const Field& mapping, Diagnostics& diag);
  FieldReader(const FieldReader&) = delete;
  FieldReader& operator=(const FieldReader&) = delete;

  // The value of KEY, or nullopt if absent. Either way KEY becomes allowed.
  std::optional<Field> get(std::string_view key);
  // Like get, but a missing key is an error.
  std::optional<Field> require(std::string_view key);

  // Typed reads: OUT keeps its default when KEY is absent or invalid.
  void read(std::string_view key, std::string& out, bool required = false);
  void read(std::string_view key, uint32_t& out, uint32_t min, uint32_t max);
  void read(std::string_view key, uint64_t& out, uint64_t min, uint64_t max);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, std::vector<std::string>& out);

  // False when KEY is present but not one of CHOICES (the enum's spelling
  // table, or the part of it a loader accepts).
  template <typename E, size_t N>
  bool read_choice(std::string_view key, E& out, const Spellings<E, N>& choices);
  // A required choice: nullopt (and an error) when KEY is missing or not one
  // of CHOICES.
  template <typename E, size_t N>
  std::optional<E> require_choice(std::string_view key, const Spellings<E, N>& choices);

  // Reports every key no read asked for. Call once, after all reads.
  void finish();

  bool is_mapping() const { return is_mapping_; }
  const Field& self() const { return self_; }
  Diagnostics& diag() { return diag_; }

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
  };
  // F's value when it is one of CHOICES, else nullopt and an error.
  template <typename E, size_t N>
  std::optional<E> choice(const Field& f, const Spellings<E, N>& choices);

  Field self_;
  Diagnostics& diag_;
  bool is_mapping_ = false;
  std::vector<Entry> entries_;
  std::vector<std::string> allowed_;
};

template <typename E, size_t N>
bool FieldReader::read_choice(std::string_view key, E& out, const Spellings<E, N>& choices) {
  auto f = get(key);
  if (!f) return true;
  auto value = choice(*f, choices);
  if (value) out = *value;
  return value.has_value();
}

template <typename E, size_t N>
std::optional<E> FieldReader::require_choice(std::string_view key, const Spellings<E, N>& choices) {
  auto f = require(key);
  return f ? choice(*f, choices) : std::nullopt;
}

template <typename E, size_t N>
std::optional<E> FieldReader::choice(const Field& f, const Spellings<E, N>& choices) {
  auto s = as_string(f, diag_);
  if (!s) return std::nullopt;
  if (auto value = value_of(choices, *s)) return value;
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) names.emplace_back(name);
  diag_.error(f.mark, f.path, "'" + *s + "' is not allowed (allowed: " + join(names) + ")");
  return std::nullopt;
}

// Parses the file into its single top-level mapping, recording syntax
// errors, an empty file or a non-mapping document.
std::optional<Field> load_mapping_document(Diagnostics& diag);

// Names of configs (and the files they are in): A-Z a-z 0-9 _ - and, with
// ALLOW_DOT, '.'. (Cgroup and workload names: protocol::is_valid_name.)
bool is_safe_name(std::string_view name, bool allow_dot);

}  // namespace scxfarm::config::detail
