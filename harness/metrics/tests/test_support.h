// Helpers for the metrics integration tests: plain HTTP GETs, free loopback
// ports, finding binaries, and promtool.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/process.h"
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

// GET URL with curl's escaping of the query parameter: URL?NAME=escaped(VALUE).
Result<HttpResponse> http_get_query(const std::string& url, const std::string& name,
                                    const std::string& value);

// A server the test started (prometheus, prometheus-pushgateway), killed
// (SIGKILL) and reaped when this goes away.
struct Server {
  Process process;
  int port = 0;
  std::filesystem::path log;
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Starts ARGV (which listens on PORT) and waits until GET base+READY_PATH
// answers 200, at most TIMEOUT; the error quotes the server's log.
Result<Server> start_server(const std::vector<std::string>& argv, int port,
                            const std::filesystem::path& log, const std::string& ready_path,
                            std::chrono::milliseconds timeout);

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
