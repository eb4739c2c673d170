// Pushing a registry to a Prometheus Pushgateway, for batch jobs that end
// before anything could scrape them. A push replaces the whole group (HTTP
// PUT), so a series that a rerun no longer produces disappears instead of
// lingering.
//
// The PUT is made with libcurl directly, not with prometheus-cpp 1.0.2's
// Gateway: Gateway sets no curl timeout (a gateway that accepts the
// connection and never answers would hang the farm for ever) and installs no
// write callback (curl prints the gateway's answer body, e.g. an error text,
// on our stdout, which carries the run summaries). The body is still
// prometheus::TextSerializer's text.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"

namespace prometheus {
class Collectable;
struct MetricFamily;
}  // namespace prometheus

namespace scxfarm::metrics {

// The Pushgateway group besides the job. Empty values are left out of the
// group key. Values outside [A-Za-z0-9._~-] are sent base64url-encoded
// (label@base64), so a "/" in a shard name cannot break the URL.
// The Pushgateway overwrites a pushed series' suite/kernel labels with the
// group's values (checked with pushgateway 1.5), so these must equal the
// labels in the metrics: push one group per kernel release, or leave kernel
// empty for a batch over several kernels.
struct PushGrouping {
  std::string suite;
  std::string kernel;  // release, as in the metrics' kernel label
  std::string shard;   // which slice of a sharded batch, e.g. "2of4"
};

struct PushOptions {
  // Attempts in all, including the first; at least 1.
  int max_attempts = 3;
  // Wait after the first failed attempt; each later wait doubles.
  std::chrono::milliseconds first_backoff{1000};
  // Limit for one attempt, connecting through reading the answer; default 10 s.
  std::chrono::milliseconds timeout{10000};
};

struct PushReport {
  int http_status = 0;  // the Pushgateway's answer to the successful attempt
  int attempts = 0;
};

// Where a push goes: "http://HOST:PORT", "https://HOST:PORT/prefix" or
// "HOST:PORT" (http). Without a port, the scheme's default.
struct GatewayUrl {
  std::string scheme_and_host;  // "http://pushgw.example"
  std::string port_and_path;    // "9091" or "9091/prefix"
};
Result<GatewayUrl> parse_gateway_url(std::string_view url);

// Pushes everything METRICS collects to URL under JOB and GROUPING,
// replacing that group. Connection failures and 5xx answers are retried up to
// OPTIONS.max_attempts; other 4xx answers are not (resending the same body
// cannot fix them). Never throws: the error names the URL, the HTTP status or
// curl error, and the number of attempts. Callers log it and exit non-zero
// without changing any run's outcome.
Result<PushReport> push_to_gateway(const std::shared_ptr<prometheus::Collectable>& metrics,
                                   std::string_view url, std::string_view job,
                                   const PushGrouping& grouping, const PushOptions& options = {});
// The same for families already collected (e.g. a filtered subset).
Result<PushReport> push_to_gateway(const std::vector<prometheus::MetricFamily>& families,
                                   std::string_view url, std::string_view job,
                                   const PushGrouping& grouping, const PushOptions& options = {});

// The group's path below the gateway URL:
// "/metrics/job/JOB[/suite/S][/kernel/K][/shard@base64/...]".
std::string group_path(std::string_view job, const PushGrouping& grouping);

}  // namespace scxfarm::metrics
