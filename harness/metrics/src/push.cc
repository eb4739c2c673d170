#include "scxfarm/metrics/push.h"

#include <curl/curl.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
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

// "/name/value" per grouping label; values that are not URL-safe go
// through the Pushgateway's name@base64 form.
void append_group_label(std::string& path, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  if (is_url_safe(value))
    path += "/" + std::string(name) + "/" + std::string(value);
  else
    path += "/" + std::string(name) + "@base64/" + base64url(value);
}

// The HTTP status, or a curl error negated.
std::string describe_answer(int answer) {
  if (answer < 0)
    return "curl error " + std::to_string(-answer) + " (" +
           curl_easy_strerror(static_cast<CURLcode>(-answer)) + ")";
  return "HTTP " + std::to_string(answer);
}

bool succeeded(int answer) {
  return answer >= 200 && answer < 300;
}

// Unreachable gateway, timeout, or a gateway that failed on its side: worth
// another try.
bool worth_retrying(int answer) {
  return answer < 0 || answer >= 500 || answer == 429;
}

// The answer body is kept (for the error message) instead of going to stdout.
size_t keep_body(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() < 512) body->append(data, std::min<size_t>(size * count, 512));
  return size * count;
}

struct Answer {
  int code = 0;  // HTTP status, or -CURLcode
  std::string body;
};

Answer http_put(const std::string& url, const std::string& body,
                std::chrono::milliseconds timeout) {
  Answer answer;
  CURL* curl = curl_easy_init();
  if (!curl) return {-CURLE_FAILED_INIT, ""};
  curl_slist* headers =
      curl_slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  answer.code = rc == CURLE_OK ? static_cast<int>(status) : -static_cast<int>(rc);
  return answer;
}

// First line of the gateway's error text, for the message.
std::string body_excerpt(const std::string& body) {
  std::string line = body.substr(0, body.find('\n'));
  return line.empty() ? "" : ": " + line;
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

std::string group_path(std::string_view job, const PushGrouping& grouping) {
  std::string path = "/metrics/job/" + std::string(job);
  append_group_label(path, "suite", grouping.suite);
  append_group_label(path, "kernel", grouping.kernel);
  append_group_label(path, "shard", grouping.shard);
  return path;
}

Result<PushReport> push_to_gateway(const std::shared_ptr<prometheus::Collectable>& metrics,
                                   std::string_view url, std::string_view job,
                                   const PushGrouping& grouping, const PushOptions& options) {
  return push_to_gateway(metrics->Collect(), url, job, grouping, options);
}

Result<PushReport> push_to_gateway(const std::vector<prometheus::MetricFamily>& families,
                                   std::string_view url, std::string_view job,
                                   const PushGrouping& grouping, const PushOptions& options) {
  auto target = parse_gateway_url(url);
  if (!target) return target.error();
  // The job goes into the URL path as is.
  if (job.empty() || !is_url_safe(job))
    return make_error("Pushgateway job '" + std::string(job) +
                      "': must be non-empty [A-Za-z0-9._~-]");
  const int max_attempts = std::max(1, options.max_attempts);
  const std::string where = std::string(url) + " (job " + std::string(job) + ")";
  const std::string endpoint =
      target->scheme_and_host + ":" + target->port_and_path + group_path(job, grouping);
  const std::string body = prometheus::TextSerializer().Serialize(families);

  auto backoff = options.first_backoff;
  Answer answer;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    // PUT: the Pushgateway replaces the whole group only on PUT (POST
    // replaces just the metric names present in the body, so a series a
    // rerun no longer produces would linger).
    answer = http_put(endpoint, body, options.timeout);
    if (succeeded(answer.code)) return PushReport{answer.code, attempt};
    if (!worth_retrying(answer.code))
      return make_error("push to " + where + " rejected: " + describe_answer(answer.code) +
                        body_excerpt(answer.body));
    if (attempt < max_attempts) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
  return make_error("push to " + where + " failed after " + std::to_string(max_attempts) +
                    " attempt(s): " + describe_answer(answer.code) + body_excerpt(answer.body));
}

}  // namespace scxfarm::metrics
