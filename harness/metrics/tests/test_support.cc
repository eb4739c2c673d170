#include "test_support.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"

namespace scxfarm::metrics::testing {

namespace {
size_t append_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}
}  // namespace

Result<HttpResponse> http_get(const std::string& url) {
  CURL* curl = curl_easy_init();
  if (!curl) return make_error("curl_easy_init failed");
  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return make_error("GET " + url + ": " + curl_easy_strerror(rc));
  return response;
}

Result<HttpResponse> http_get_query(const std::string& url, const std::string& name,
                                    const std::string& value) {
  CURL* curl = curl_easy_init();
  if (!curl) return make_error("curl_easy_init failed");
  char* escaped = curl_easy_escape(curl, value.c_str(), static_cast<int>(value.size()));
  const std::string full = url + "?" + name + "=" + escaped;
  curl_free(escaped);
  curl_easy_cleanup(curl);
  return http_get(full);
}

Result<Server> start_server(const std::vector<std::string>& argv, int port,
                            const std::filesystem::path& log, const std::string& ready_path,
                            std::chrono::milliseconds timeout) {
  auto process = Process::spawn(argv, SpawnOptions{.output_file = log});
  if (!process) return process.error();
  Server server{std::move(*process), port, log};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto ready = http_get(server.base() + ready_path);
    if (ready.ok() && ready->status == 200) return server;
    if (auto ended = server.process.poll()) {
      auto text = read_file(log);
      return make_error(argv[0] + " exited (" + ended->describe() +
                        "): " + (text ? *text : std::string("no log")));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto text = read_file(log);
  return make_error(argv[0] + " not ready on port " + std::to_string(port) + " after " +
                    std::to_string(timeout.count()) + " ms: " + (text ? *text : ""));
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    std::abort();
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::optional<std::string> find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    const std::filesystem::path candidate =
        std::filesystem::path(std::string(dirs.substr(0, colon))) / std::string(program);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

Result<PromtoolVerdict> promtool_check_metrics(const std::string& promtool, std::string_view text) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("scxfarm-metrics-" + std::to_string(::getpid()) + ".prom");
  if (auto written = write_file_atomic(file, text); !written) return written.error();
  auto run = run_command({SCXFARM_STDIN_FROM_FILE, file.string(), promtool, "check", "metrics"},
                         std::chrono::seconds(30));
  std::filesystem::remove(file);
  if (!run) return run.error();
  return PromtoolVerdict{run->status.success(), run->output};
}

}  // namespace scxfarm::metrics::testing
