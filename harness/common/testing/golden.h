// Golden-file tests (report's console corpus, vm's QEMU argv):
// SCXFARM_UPDATE_GOLDEN=1 rewrites the golden files from the current output
// instead of comparing. Such a run checked nothing, so it fails unless
// SCXFARM_UPDATE_GOLDEN_INTENDED=1 says the rewrite is what was meant (a
// variable left set in a shell or CI must not turn the tests green).
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

namespace scxfarm::golden {

inline bool env_is_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::string(v) != "0";
}

// Rewrite the golden files instead of comparing with them.
inline bool update_requested() {
  return env_is_set("SCXFARM_UPDATE_GOLDEN");
}

// After an update run rewrote REWRITTEN (file names): the message to fail the
// test with, or "" when SCXFARM_UPDATE_GOLDEN_INTENDED=1 is set.
inline std::string update_failure(const std::vector<std::string>& rewritten) {
  if (env_is_set("SCXFARM_UPDATE_GOLDEN_INTENDED")) return "";
  std::string names;
  for (const auto& f : rewritten) names += (names.empty() ? "" : ", ") + f;
  return "SCXFARM_UPDATE_GOLDEN is set: rewrote " + std::to_string(rewritten.size()) +
         " golden file(s) (" + names +
         ") instead of comparing, so this run checked nothing. Review the diff (git diff) and "
         "set SCXFARM_UPDATE_GOLDEN_INTENDED=1 as well when the rewrite is intended.";
}

}  // namespace scxfarm::golden
