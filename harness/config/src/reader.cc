#include "reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "scxfarm/common/fs.h"

namespace scxfarm::config::detail {

namespace {

std::string location(const std::filesystem::path& file, const YAML::Mark& mark) {
  if (mark.line < 0) return file.string();
  return file.string() + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

bool is_quoted(const YAML::Node& node) {
  return node.Tag() == "!";
}

// Classic edit distance, for "did you mean" on unknown keys.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

void Diagnostics::error(const YAML::Mark& mark, std::string_view field, std::string_view message) {
  std::string text = location(file_, mark) + ": ";
  if (!field.empty()) text += std::string(field) + ": ";
  text += message;
  errors_.push_back({mark.line, mark.column, errors_.size(), std::move(text)});
}

void Diagnostics::file_error(std::string_view message) {
  errors_.push_back({-1, -1, errors_.size(), file_.string() + ": " + std::string(message)});
}

std::vector<std::string> Diagnostics::lines() const {
  auto sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.line, a.column, a.seq) < std::tie(b.line, b.column, b.seq);
  });
  std::vector<std::string> out;
  for (auto& e : sorted) out.push_back(std::move(e.text));
  return out;
}

Error Diagnostics::to_error() const {
  return Error{join(lines(), "\n")};
}

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string index_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing (null)";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      break;
  }
  if (is_quoted(node)) return "the quoted string \"" + node.Scalar() + "\"";
  return "'" + node.Scalar() + "'";
}

std::optional<uint64_t> as_uint(const Field& f, Diagnostics& diag, uint64_t min, uint64_t max) {
  const std::string allowed = std::to_string(min) + ".." + std::to_string(max);
  auto wrong_type = [&] {
    diag.error(f.mark, f.path, "expected an integer in " + allowed + ", got " + describe(f.node));
    return std::nullopt;
  };
  if (!f.node.IsScalar() || is_quoted(f.node)) return wrong_type();
  const std::string& s = f.node.Scalar();
  std::string_view digits = s;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative || (!digits.empty() && digits.front() == '+')) digits.remove_prefix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return wrong_type();
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  bool is_zero = value == 0 && ec == std::errc();
  if (ec != std::errc() || (negative && !is_zero) || value < min || value > max) {
    diag.error(f.mark, f.path, s + " is out of range (allowed: " + allowed + ")");
    return std::nullopt;
  }
  return value;
}

std::optional<double> as_double(const Field& f, Diagnostics& diag) {
  double value = 0;
  if (f.node.IsScalar() && !is_quoted(f.node)) {
    const std::string& s = f.node.Scalar();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && std::isfinite(value)) return value;
  }
  diag.error(f.mark, f.path, "expected a number, got " + describe(f.node));
  return std::nullopt;
}

std::optional<bool> as_bool(const Field& f, Diagnostics& diag) {
  if (f.node.IsScalar() && !is_quoted(f.node)) {
    const std::string& s = f.node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  diag.error(f.mark, f.path, "expected true or false, got " + describe(f.node));
  return std::nullopt;
}

std::optional<std::string> as_string(const Field& f, Diagnostics& diag) {
  // Plain scalars count as strings too, so `args: [--cpu, 4]` works.
  if (f.node.IsScalar()) return f.node.Scalar();
  diag.error(f.mark, f.path, "expected a string, got " + describe(f.node));
  return std::nullopt;
}

std::optional<std::vector<Field>> as_sequence(const Field& f, Diagnostics& diag) {
  if (!f.node.IsSequence()) {
    diag.error(f.mark, f.path, "expected a list, got " + describe(f.node));
    return std::nullopt;
  }
  std::vector<Field> items;
  for (size_t i = 0; i < f.node.size(); ++i) {
    YAML::Node item = f.node[i];
    YAML::Mark mark = item.Mark().line >= 0 ? item.Mark() : f.mark;
    items.push_back({item, index_path(f.path, i), mark});
  }
  return items;
}

std::optional<std::vector<std::string>> as_string_list(const Field& f, Diagnostics& diag) {
  auto items = as_sequence(f, diag);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool all_ok = true;
  for (const auto& item : *items) {
    if (auto s = as_string(item, diag)) {
      out.push_back(*s);
    } else {
      all_ok = false;
    }
  }
  if (!all_ok) return std::nullopt;
  return out;
}

FieldReader::FieldReader(const Field& mapping, Diagnostics& diag) : self_(mapping), diag_(diag) {
  if (!mapping.node.IsMap()) {
    diag_.error(mapping.mark, mapping.path, "expected a mapping, got " + describe(mapping.node));
    return;
  }
  is_mapping_ = true;
  for (const auto& pair : mapping.node) {
    // Copies: yaml-cpp's iterator yields temporaries (GCC 12 -Wdangling-pointer).
    YAML::Node key = pair.first;
    YAML::Node value = pair.second;
    if (!key.IsScalar()) {
      diag_.error(key.Mark(), mapping.path, "keys must be plain names, got " + describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    auto same = [&](const Entry& e) { return e.key == name; };
    if (std::any_of(entries_.begin(), entries_.end(), same)) {
      diag_.error(key.Mark(), mapping.path, "duplicate key '" + name + "'");
      continue;
    }
    entries_.push_back({name, key.Mark(), value});
  }
}

std::optional<Field> FieldReader::get(std::string_view key) {
  // A loader may look at a key twice (read it, then judge the value): the
  // allowed list still names it once.
  if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end())
    allowed_.emplace_back(key);
  for (const auto& e : entries_) {
    if (e.key != key) continue;
    // An empty value's mark points at the next line; its key is clearer.
    YAML::Mark mark = e.value.IsNull() || e.value.Mark().line < 0 ? e.key_mark : e.value.Mark();
    return Field{e.value, join_path(self_.path, key), mark};
  }
  return std::nullopt;
}

std::optional<Field> FieldReader::require(std::string_view key) {
  auto f = get(key);
  if (!f && is_mapping_) {
    diag_.error(self_.mark, self_.path, "missing required key '" + std::string(key) + "'");
  }
  return f;
}

void FieldReader::read(std::string_view key, std::string& out, bool required) {
  auto f = required ? require(key) : get(key);
  if (!f) return;
  if (auto s = as_string(*f, diag_)) out = *s;
}

void FieldReader::read(std::string_view key, uint32_t& out, uint32_t min, uint32_t max) {
  auto f = get(key);
  if (!f) return;
  if (auto v = as_uint(*f, diag_, min, max)) out = static_cast<uint32_t>(*v);
}

void FieldReader::read(std::string_view key, uint64_t& out, uint64_t min, uint64_t max) {
  auto f = get(key);
  if (!f) return;
  if (auto v = as_uint(*f, diag_, min, max)) out = *v;
}

void FieldReader::read(std::string_view key, bool& out) {
  auto f = get(key);
  if (!f) return;
  if (auto v = as_bool(*f, diag_)) out = *v;
}

void FieldReader::read(std::string_view key, std::vector<std::string>& out) {
  auto f = get(key);
  if (!f) return;
  if (auto v = as_string_list(*f, diag_)) out = std::move(*v);
}

void FieldReader::finish() {
  for (const auto& e : entries_) {
    if (std::find(allowed_.begin(), allowed_.end(), e.key) != allowed_.end()) continue;
    std::string message = "unknown key '" + e.key + "' (allowed: " + join(allowed_) + ")";
    std::string best;
    size_t best_distance = 3;  // suggest only close misspellings
    for (const auto& a : allowed_) {
      size_t d = edit_distance(e.key, a);
      if (d < best_distance) best_distance = d, best = a;
    }
    if (!best.empty()) message += "; did you mean '" + best + "'?";
    diag_.error(e.key_mark, self_.path, message);
  }
}

std::optional<Field> load_mapping_document(Diagnostics& diag) {
  auto text = read_file(diag.file());
  if (!text.ok()) {
    diag.file_error("cannot read: " + text.error().message);
    return std::nullopt;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(*text);
  } catch (const YAML::Exception& e) {
    diag.error(e.mark, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (docs.empty() || docs[0].IsNull()) {
    diag.file_error("file is empty (expected a mapping of settings)");
    return std::nullopt;
  }
  if (docs.size() > 1) {
    diag.error(docs[1].Mark(), "",
               "a config file holds one YAML document, found " + std::to_string(docs.size()));
  }
  return Field{docs[0], "", docs[0].Mark()};
}

bool is_safe_name(std::string_view name, bool allow_dot) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || (allow_dot && c == '.');
  });
}

}  // namespace scxfarm::config::detail
