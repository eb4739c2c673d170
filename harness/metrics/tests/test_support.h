// Helpers for the metrics integration tests: plain HTTP GETs, free loopback
// ports, finding binaries, and promtool.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"

namespace scxfarm::metrics::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
};

// GET URL with a 5 s timeout.
Result<HttpResponse> http_get(const std::string& url);

// A loopback TCP port that was free a moment ago (bound to 0, then closed).
int free_loopback_port();

// PROGRAM's path if it is on PATH.
std::optional<std::string> find_on_path(std::string_view program);

// `promtool check metrics` with TEXT as its stdin; the promtool output on
// failure.
struct PromtoolVerdict {
  bool passed = false;
  std::string output;
};
Result<PromtoolVerdict> promtool_check_metrics(const std::string& promtool, std::string_view text);

}  // namespace scxfarm::metrics::testing
