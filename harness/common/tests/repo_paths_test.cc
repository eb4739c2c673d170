// Every repository path that the code, the docs and the dashboards name must
// exist: a comment, README or alert that points at a file nobody can open
// sends its reader nowhere. The test scans the repository's text files for
// repo-relative paths (harness/..., docs/..., an upper-case top-level *.md,
// ...) and checks each one against the tree.
//
// Placeholders are understood: a path component in <angle brackets> or in
// capitals (NAME.yaml, OUT_DIR) only needs its directory to exist, a '*'
// component must match at least one entry, and {a,b} is expanded.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = SCXFARM_SOURCE_DIR;

// Top-level folders whose paths are checked, and the only ones scanned.
constexpr std::string_view kTopDirs[] = {"bpf",  "ci",    "cmake",   "configs",  "dashboards",
                                         "docs", "guest", "harness", "workloads"};

bool scanned_file(const fs::path& p) {
  static const std::set<std::string> kExtensions = {".md",  ".h",    ".cc",  ".sh",
                                                    ".yml", ".yaml", ".json"};
  return kExtensions.count(p.extension().string()) || p.filename() == "CMakeLists.txt";
}

// The files to scan: the top-level ones and those under kTopDirs, without
// recorded test data (it quotes other machines' paths, it cites nothing).
std::vector<fs::path> files_to_scan() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kRoot)) {
    if (e.is_regular_file() && scanned_file(e.path())) out.push_back(e.path());
  }
  for (std::string_view top : kTopDirs) {
    if (!fs::is_directory(kRoot / top)) continue;
    for (auto it = fs::recursive_directory_iterator(kRoot / top);
         it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == "testdata") {
        it.disable_recursion_pending();
      } else if (it->is_regular_file() && scanned_file(it->path())) {
        out.push_back(it->path());
      }
    }
  }
  return out;
}

bool path_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == '+' || c == '*' || c == '<' || c == '>';
}

// A character that, right before a candidate, makes it part of something
// else: an absolute path, $VAR/..., build/harness/..., a longer word.
bool glued(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == '$';
}

// The path that starts at LINE[pos]; braces keep their commas.
std::string take_path(std::string_view line, size_t pos) {
  std::string out;
  int depth = 0;
  for (size_t i = pos; i < line.size(); ++i) {
    char c = line[i];
    if (c == '{') {
      ++depth;
    } else if (c == '}' && depth > 0) {
      --depth;
    } else if (!(path_char(c) || (c == ',' && depth > 0))) {
      break;
    }
    out += c;
  }
  if (depth > 0) out = out.substr(0, out.find('{'));
  // Sentence punctuation is not part of the path.
  while (!out.empty() && (out.back() == '.' || out.back() == '-')) out.pop_back();
  return out;
}

// An upper-case document name such as "README.md" at POS, or "".
std::string take_doc_name(std::string_view line, size_t pos) {
  size_t i = pos;
  while (i < line.size() && ((line[i] >= 'A' && line[i] <= 'Z') || line[i] == '_')) ++i;
  if (i - pos < 2 || line.substr(i, 3) != ".md") return "";
  if (i + 3 < line.size() && path_char(line[i + 3]) && line[i + 3] != '.') return "";
  return std::string(line.substr(pos, i + 3 - pos));
}

std::vector<std::string> cited_paths(std::string_view line) {
  std::vector<std::string> out;
  // An #include in angle brackets names a system header (libbpf's live in a
  // folder named like the repo's bpf folder), never a repo path.
  const bool system_include = line.starts_with("#include <");
  for (size_t i = 0; i < line.size(); ++i) {
    if (i > 0 && glued(line[i - 1])) continue;
    if (system_include && i > 0 && line[i - 1] == '<') continue;
    for (std::string_view top : kTopDirs) {
      if (line.substr(i, top.size()) == top && line.substr(i + top.size(), 1) == "/") {
        out.push_back(take_path(line, i));
        break;
      }
    }
    if (std::string doc = take_doc_name(line, i); !doc.empty()) out.push_back(doc);
  }
  return out;
}

std::vector<std::string> expand_braces(const std::string& path) {
  const size_t open = path.find('{');
  if (open == std::string::npos) return {path};
  const size_t close = path.find('}', open);
  std::vector<std::string> out;
  std::stringstream alternatives(path.substr(open + 1, close - open - 1));
  for (std::string alt; std::getline(alternatives, alt, ',');) {
    for (auto& rest : expand_braces(path.substr(close + 1)))
      out.push_back(path.substr(0, open) + alt + rest);
  }
  return out;
}

// A component standing for a name the reader fills in: <suite>, NAME.yaml.
bool placeholder(const std::string& component) {
  if (component.find('<') != std::string::npos) return true;
  const std::string stem = fs::path(component).stem().string();
  if (stem.size() < 2) return false;
  for (char c : stem) {
    if (!((c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return fs::path(component).extension() != ".md";  // README.md is a real name
}

bool glob_matches(const fs::path& dir, const std::string& pattern) {
  if (!fs::is_directory(dir)) return false;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (::fnmatch(pattern.c_str(), e.path().filename().c_str(), 0) == 0) return true;
  }
  return false;
}

// Whether PATH (repo-relative, no braces) names something in the tree.
bool resolves(const fs::path& base, const std::string& path) {
  fs::path at = base;
  for (const auto& part : fs::path(path)) {
    const std::string component = part.string();
    if (component.empty()) continue;
    if (placeholder(component)) return fs::is_directory(at);
    if (component.find('*') != std::string::npos) return glob_matches(at, component);
    at /= part;
    if (!fs::exists(at)) return false;
  }
  return true;
}

TEST(RepoPaths, EveryCitedPathExists) {
  std::map<std::string, std::vector<std::string>> missing;  // path -> where cited
  size_t checked = 0;
  for (const fs::path& file : files_to_scan()) {
    std::ifstream in(file);
    size_t number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      for (const std::string& cited : cited_paths(line)) {
        for (const std::string& path : expand_braces(cited)) {
          ++checked;
          const bool top_level_doc = path.find('/') == std::string::npos;
          const bool found =
              resolves(kRoot, path) || (top_level_doc && resolves(file.parent_path(), path));
          if (!found) {
            missing[path].push_back(fs::relative(file, kRoot).string() + ":" +
                                    std::to_string(number));
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 100u) << "the scan found suspiciously few paths";
  for (const auto& [path, where] : missing) {
    std::string sites;
    for (const auto& w : where) sites += " " + w;
    ADD_FAILURE() << path << " does not exist; cited at" << sites;
  }
}

// The scanner itself. This file is scanned too, so every whole path written
// here exists.
TEST(RepoPaths, ScannerFindsPathsAndSkipsLookalikes) {
  EXPECT_EQ(cited_paths("see `docs/ERRORS.md`, and harness/provision/scripts/."),
            (std::vector<std::string>{"docs/ERRORS.md", "harness/provision/scripts/"}));
  EXPECT_EQ(cited_paths("cp $src/guest/init /opt/harness/x build/harness/cli"),
            std::vector<std::string>{});
  EXPECT_EQ(cited_paths(std::string("#include <b") + "pf/btf.h>"), std::vector<std::string>{});
  EXPECT_EQ(cited_paths("(README.md) and docs/{ERRORS,CONTRIBUTING}.md"),
            (std::vector<std::string>{"README.md", "docs/{ERRORS,CONTRIBUTING}.md"}));
  EXPECT_EQ(expand_braces("docs/{ERRORS,CONTRIBUTING}.md"),
            (std::vector<std::string>{"docs/ERRORS.md", "docs/CONTRIBUTING.md"}));
  EXPECT_TRUE(resolves(kRoot, "configs/topologies/NAME.yaml"));
  EXPECT_TRUE(resolves(kRoot, "configs/scenarios/*.yaml"));
  // Spelled in two pieces so that the scan of this file does not see them.
  EXPECT_FALSE(resolves(kRoot, std::string("configs/scenarios/*.") + "nothing"));
  EXPECT_FALSE(resolves(kRoot, std::string("docs/") + "missing.md"));
}

}  // namespace
