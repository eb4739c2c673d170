#include "scxfarm/oracle/mutant_header.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/text.h"

namespace fs = std::filesystem;

namespace scxfarm::oracle {

namespace {

constexpr std::string_view kTrailerPrefix = "Scxfarm-";
constexpr std::string_view kWaitingPrefix = "none (waits for ";
constexpr std::string_view kCaughtByForms = "'<scenario>: <check>', or 'none (waits for ...)'";

struct Line {
  size_t number = 0;  // 1-based
  std::string_view text;
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  text::for_each_line(text, [&](size_t number, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({number, line});
  });
  return lines;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string allowed_checks() {
  std::vector<std::string_view> names;
  for (const auto check : results::runner_checks()) names.push_back(results::to_string(check));
  return text::join(names, ", ");
}

// "[PATCH 2/7] sched_ext: x" -> "sched_ext: x".
std::string without_patch_tag(std::string_view subject) {
  subject = text::trim(subject);
  if (starts_with(subject, "[")) {
    const size_t close = subject.find(']');
    if (close != std::string_view::npos) subject = text::trim(subject.substr(close + 1));
  }
  return std::string(subject);
}

// Collects every problem of one mail, each naming the file and the line.
class Problems {
 public:
  explicit Problems(const fs::path& file) : file_(file.string()) {}
  void at(size_t line, const std::string& what) {
    lines_.push_back(fmt::format("{}:{}: {}", file_, line, what));
  }
  void whole(const std::string& what) { lines_.push_back(fmt::format("{}: {}", file_, what)); }
  bool any() const { return !lines_.empty(); }
  Error error() const { return make_error(text::join(lines_, "\n")); }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

// The value of a "Scxfarm-Caught-By:" trailer into HEADER.
void read_caught_by(const Line& line, std::string_view value, MutantHeader& header,
                    Problems& problems) {
  if (starts_with(value, "none")) {
    if (!starts_with(value, kWaitingPrefix) || value.back() != ')' ||
        text::trim(value.substr(kWaitingPrefix.size(), value.size() - kWaitingPrefix.size() - 1))
            .empty()) {
      problems.at(line.number,
                  fmt::format("{} '{}': expected {}", kCaughtByKey, value, kCaughtByForms));
      return;
    }
    if (!header.waits_for.empty()) {
      problems.at(line.number, fmt::format("{}: 'none (waits for ...)' given twice", kCaughtByKey));
      return;
    }
    header.waits_for = std::string(
        text::trim(value.substr(kWaitingPrefix.size(), value.size() - kWaitingPrefix.size() - 1)));
    return;
  }
  const size_t colon = value.find(':');
  const std::string_view scenario =
      colon == std::string_view::npos ? std::string_view{} : text::trim(value.substr(0, colon));
  const std::string_view check_name =
      colon == std::string_view::npos ? std::string_view{} : text::trim(value.substr(colon + 1));
  if (scenario.empty() || check_name.empty() || text::tokens(scenario).size() != 1 ||
      text::tokens(check_name).size() != 1) {
    problems.at(line.number,
                fmt::format("{} '{}': expected {}", kCaughtByKey, value, kCaughtByForms));
    return;
  }
  const auto check = results::check_from_string(check_name);
  if (!check || *check == results::Check::kUnclassified) {
    problems.at(line.number, fmt::format("{} '{}': unknown check '{}' (allowed: {})", kCaughtByKey,
                                         value, check_name, allowed_checks()));
    return;
  }
  for (const auto& named : header.caught_by)
    if (named.scenario == scenario && named.check == *check) {
      problems.at(line.number,
                  fmt::format("{} '{}' repeats line {}", kCaughtByKey, value, named.line));
      return;
    }
  header.caught_by.push_back({std::string(scenario), *check, line.number});
}

// The Scxfarm-* trailers of the message's last paragraph into HEADER.
void read_trailers(const std::vector<Line>& trailers, MutantHeader& header, Problems& problems) {
  size_t breaks_line = 0;
  for (const auto& line : trailers) {
    if (!starts_with(line.text, kTrailerPrefix)) continue;  // Signed-off-by etc.
    const size_t colon = line.text.find(':');
    const std::string_view key = line.text.substr(0, colon);
    if (colon == std::string_view::npos || text::tokens(key).size() != 1) {
      problems.at(line.number, fmt::format("'{}' is not a 'Key: value' trailer", line.text));
      continue;
    }
    const std::string_view value = text::trim(line.text.substr(colon + 1));
    if (key != kBreaksKey && key != kCaughtByKey) {
      problems.at(line.number, fmt::format("unknown trailer '{}' (allowed: {}, {})", key,
                                           kBreaksKey, kCaughtByKey));
      continue;
    }
    if (value.empty()) {
      problems.at(line.number, fmt::format("{} has no value", key));
      continue;
    }
    if (key == kCaughtByKey) {
      read_caught_by(line, value, header, problems);
    } else if (breaks_line != 0) {
      problems.at(line.number,
                  fmt::format("{} given twice (first on line {}): a mutant breaks one promise",
                              kBreaksKey, breaks_line));
    } else {
      breaks_line = line.number;
      header.breaks = std::string(value);
    }
  }
  if (breaks_line == 0 && !problems.any())
    problems.whole(
        fmt::format("no {} trailer (the promise the mutant breaks, one line)", kBreaksKey));
  if (header.caught_by.empty() && header.waits_for.empty() && !problems.any())
    problems.whole(fmt::format("no {} trailer (allowed: {})", kCaughtByKey, kCaughtByForms));
  if (!header.caught_by.empty() && !header.waits_for.empty())
    problems.at(header.caught_by.front().line,
                fmt::format("{}: scenarios named beside 'none (waits for ...)': one or the other",
                            kCaughtByKey));
}

}  // namespace

std::vector<results::Check> MutantHeader::checks_for(std::string_view scenario) const {
  std::vector<results::Check> checks;
  for (const auto& c : caught_by)
    if (c.scenario == scenario) checks.push_back(c.check);
  return checks;
}

std::vector<std::string> MutantHeader::scenarios() const {
  std::vector<std::string> names;
  for (const auto& c : caught_by)
    if (std::find(names.begin(), names.end(), c.scenario) == names.end())
      names.push_back(c.scenario);
  return names;
}

bool has_mutant_trailers(std::string_view text) {
  for (const auto& line : lines_of(text)) {
    if (line.text == "---") return false;
    if (starts_with(line.text, kTrailerPrefix)) return true;
  }
  return false;
}

Result<MutantHeader> parse_mutant_header_text(std::string_view text, const fs::path& file) {
  Problems problems(file);
  MutantHeader header;
  header.file = file;
  const auto lines = lines_of(text);

  // The header block: from the start to the first blank line; it must hold a
  // Subject (folded continuation lines start with white space).
  auto subject = std::find_if(lines.begin(), lines.end(), [](const Line& l) {
    return l.text.empty() || starts_with(l.text, "Subject:");
  });
  if (subject == lines.end() || subject->text.empty()) {
    problems.whole(
        "no 'Subject:' header before the first blank line (expected a mail as "
        "git format-patch writes it)");
    return problems.error();
  }
  std::string subject_text(subject->text.substr(std::string_view("Subject:").size()));
  auto body = subject + 1;
  for (; body != lines.end() && !body->text.empty(); ++body)
    if (text::is_space(body->text.front()))
      subject_text += " " + std::string(text::trim(body->text));
  header.subject = without_patch_tag(subject_text);
  if (body == lines.end()) {
    problems.whole("no blank line after the mail headers: no commit message");
    return problems.error();
  }
  ++body;  // the blank line

  // The commit message: up to the "---" line before the diffstat.
  const auto end = std::find_if(body, lines.end(), [](const Line& l) { return l.text == "---"; });
  if (end == lines.end()) {
    problems.whole(
        "no '---' line ending the commit message (expected a mail as git "
        "format-patch writes it)");
    return problems.error();
  }
  // Its last paragraph holds the trailers.
  auto last = end;
  while (last != body && (last - 1)->text.empty()) --last;
  auto first = last;
  while (first != body && !(first - 1)->text.empty()) --first;
  for (auto it = body; it != first; ++it)
    if (starts_with(it->text, kTrailerPrefix))
      problems.at(it->number, fmt::format("'{}' is outside the trailer block (the commit "
                                          "message's last paragraph)",
                                          it->text));
  read_trailers({first, last}, header, problems);
  if (problems.any()) return problems.error();
  return header;
}

Result<MutantHeader> parse_mutant_header(const fs::path& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_mutant_header_text(*text, path);
}

Result<std::optional<MutantHeader>> mutant_header_of(const config::KernelConfig& kernel) {
  std::vector<fs::path> mails;
  for (const auto& patch : kernel.patches) {
    std::error_code ec;
    if (!fs::is_directory(patch, ec)) {
      mails.push_back(patch);
      continue;
    }
    std::vector<fs::path> series;
    for (const auto& entry : fs::directory_iterator(patch, ec))
      if (entry.path().extension() == ".patch") series.push_back(entry.path());
    if (ec)
      return make_error(
          fmt::format("kernel {}: {}: {}", kernel.name, patch.string(), ec.message()));
    std::sort(series.begin(), series.end());
    mails.insert(mails.end(), series.begin(), series.end());
  }
  std::optional<MutantHeader> header;
  for (const auto& mail : mails) {
    auto text = read_file(mail);
    if (!text) return make_error(fmt::format("kernel {}: {}", kernel.name, text.error().message));
    if (!has_mutant_trailers(*text)) continue;
    auto parsed = parse_mutant_header_text(*text, mail);
    if (!parsed) return parsed.error();
    if (header)
      return make_error(fmt::format(
          "kernel {}: two mutant patches ({} and {}): a mutant kernel breaks one promise",
          kernel.name, header->file.string(), mail.string()));
    header = std::move(*parsed);
  }
  return header;
}

}  // namespace scxfarm::oracle
