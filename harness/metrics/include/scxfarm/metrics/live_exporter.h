// A live /metrics endpoint (prometheus::Exposer) over a MetricsSet's registry,
// for scraping a long batch while it runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace scxfarm::metrics {

// Loopback unless the user names another address: an exporter must not be
// reachable from the network by accident.
inline constexpr std::string_view kDefaultListenHost = "127.0.0.1";

struct ListenAddress {
  std::string host;   // "127.0.0.1", "0.0.0.0" or "[::1]" (IPv6 keeps its brackets)
  uint16_t port = 0;  // 0 = let the kernel pick; LiveExporter::port() tells which
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// "HOST:PORT", "[IPV6]:PORT" or ":PORT" (= 127.0.0.1:PORT). HOST must be a
// numeric address; PORT 0..65535.
Result<ListenAddress> parse_listen_address(std::string_view text);

class LiveExporter {
 public:
  // Serves REGISTRY on http://LISTEN/metrics until destroyed. Fails (no
  // throw) on a malformed address or when the address cannot be bound.
  static Result<LiveExporter> start(std::shared_ptr<prometheus::Registry> registry,
                                    std::string_view listen);

  LiveExporter(LiveExporter&&) noexcept;
  LiveExporter& operator=(LiveExporter&&) noexcept;
  ~LiveExporter();

  // The bound port: the real one when 0 was asked for.
  uint16_t port() const;
  const std::string& host() const { return host_; }
  // "http://HOST:PORT/metrics"
  std::string url() const;

 private:
  LiveExporter(std::shared_ptr<prometheus::Registry> registry,
               std::unique_ptr<prometheus::Exposer> exposer, std::string host);

  // The exposer holds only a weak_ptr; keeping the registry here keeps the
  // endpoint serving for as long as the exporter exists.
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string host_;
};

}  // namespace scxfarm::metrics
