#include "scxfarm/metrics/push.h"

#include <curl/curl.h>
#include <prometheus/gateway.h>

#include <algorithm>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace scxfarm::metrics {

namespace {

bool is_url_safe(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
  });
}

// RFC 4648 base64url, the encoding the Pushgateway accepts after "@base64".
std::string base64url(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    for (int shift : {18, 12, 6}) out += kAlphabet[(n >> shift) & 63];
    out += '=';
  }
  return out;
}

// prometheus::Gateway pastes "/name/value" into the URL unescaped, so values
// that are not URL-safe go through the Pushgateway's name@base64 form.
prometheus::Labels group_labels(const PushGrouping& grouping) {
  prometheus::Labels labels;
  for (const auto& [name, value] :
       {std::pair<std::string, const std::string&>{"suite", grouping.suite},
        {"kernel", grouping.kernel},
        {"shard", grouping.shard}}) {
    if (value.empty()) continue;
    if (is_url_safe(value))
      labels[name] = value;
    else
      labels[name + "@base64"] = base64url(value);
  }
  return labels;
}

// prometheus::Gateway returns the HTTP status, or a curl error negated.
std::string describe_answer(int answer) {
  if (answer < 0)
    return "curl error " + std::to_string(-answer) + " (" +
           curl_easy_strerror(static_cast<CURLcode>(-answer)) + ")";
  return "HTTP " + std::to_string(answer);
}

bool succeeded(int answer) {
  return answer >= 200 && answer < 300;
}

// Unreachable gateway, or a gateway that failed on its side: worth another try.
bool worth_retrying(int answer) {
  return answer < 0 || answer >= 500 || answer == 429;
}

}  // namespace

Result<GatewayUrl> parse_gateway_url(std::string_view url) {
  std::string_view rest = url;
  std::string scheme = "http";
  if (const size_t sep = rest.find("://"); sep != std::string_view::npos) {
    scheme = std::string(rest.substr(0, sep));
    rest.remove_prefix(sep + 3);
  }
  if (scheme != "http" && scheme != "https")
    return make_error("Pushgateway URL '" + std::string(url) + "': scheme must be http or https");
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);

  // The port follows the last colon, unless that colon is inside [IPv6].
  std::string_view host = authority;
  std::string port = scheme == "https" ? "443" : "80";
  if (const size_t colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    host = authority.substr(0, colon);
    port = std::string(authority.substr(colon + 1));
    const bool numeric =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric || std::stoi(port) > 65535)
      return make_error("Pushgateway URL '" + std::string(url) + "': bad port '" + port + "'");
  }
  if (host.empty()) return make_error("Pushgateway URL '" + std::string(url) + "': no host");
  return GatewayUrl{scheme + "://" + std::string(host), port + std::string(path)};
}

Result<PushReport> push_to_gateway(const std::shared_ptr<prometheus::Collectable>& metrics,
                                   std::string_view url, std::string_view job,
                                   const PushGrouping& grouping, const PushOptions& options) {
  auto target = parse_gateway_url(url);
  if (!target) return target.error();
  // Gateway puts the job into the URL path as is.
  if (job.empty() || !is_url_safe(job))
    return make_error("Pushgateway job '" + std::string(job) +
                      "': must be non-empty [A-Za-z0-9._~-]");
  const int max_attempts = std::max(1, options.max_attempts);
  const std::string where = std::string(url) + " (job " + std::string(job) + ")";

  try {
    prometheus::Gateway gateway(target->scheme_and_host, target->port_and_path, std::string(job),
                                group_labels(grouping));
    gateway.RegisterCollectable(metrics);
    auto backoff = options.first_backoff;
    int answer = 0;
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      // The Pushgateway replaces a whole group only on PUT (POST replaces just
      // the metric names present in the body, so a series a rerun no longer
      // produces would linger). In prometheus-cpp 1.0.2 the names are swapped:
      // Gateway::Push() sends POST and Gateway::PushAdd() sends PUT
      // (push/src/gateway.cc). PushAdd() is therefore the replacing push.
      answer = gateway.PushAdd();
      if (succeeded(answer)) return PushReport{answer, attempt};
      if (!worth_retrying(answer))
        return make_error("push to " + where + " rejected: " + describe_answer(answer));
      if (attempt < max_attempts) {
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
      }
    }
    return make_error("push to " + where + " failed after " + std::to_string(max_attempts) +
                      " attempt(s): " + describe_answer(answer));
  } catch (const std::exception& e) {
    // Gateway's constructor throws when curl cannot initialise.
    return make_error("push to " + where + ": " + e.what());
  }
}

}  // namespace scxfarm::metrics
