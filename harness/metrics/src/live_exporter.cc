#include "scxfarm/metrics/live_exporter.h"

#include <arpa/inet.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <charconv>
#include <exception>

namespace scxfarm::metrics {

namespace {

Error bad_address(std::string_view text, const std::string& why) {
  return make_error("listen address '" + std::string(text) + "': " + why +
                    " (expected HOST:PORT, [IPV6]:PORT or :PORT)");
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad_address(text, "no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);

  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535)
    return bad_address(text, "port must be a number from 0 to 65535");

  ListenAddress out;
  out.port = static_cast<uint16_t>(port);
  if (host.empty()) {
    out.host = std::string(kDefaultListenHost);
    return out;
  }
  // civetweb binds numeric addresses only; a host name would fail later with
  // a vaguer message.
  unsigned char buf[sizeof(struct in6_addr)];
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']')
      return bad_address(text, "unterminated [IPv6] address");
    const std::string inner(host.substr(1, host.size() - 2));
    if (::inet_pton(AF_INET6, inner.c_str(), buf) != 1)
      return bad_address(text, "'" + inner + "' is not an IPv6 address");
  } else if (::inet_pton(AF_INET, std::string(host).c_str(), buf) != 1) {
    return bad_address(
        text, "'" + std::string(host) + "' is not an IPv4 address (IPv6 goes in brackets)");
  }
  out.host = std::string(host);
  return out;
}

LiveExporter::LiveExporter(std::shared_ptr<prometheus::Registry> registry,
                           std::unique_ptr<prometheus::Exposer> exposer, std::string host)
    : registry_(std::move(registry)), exposer_(std::move(exposer)), host_(std::move(host)) {}

LiveExporter::LiveExporter(LiveExporter&&) noexcept = default;
LiveExporter& LiveExporter::operator=(LiveExporter&&) noexcept = default;
LiveExporter::~LiveExporter() = default;

Result<LiveExporter> LiveExporter::start(std::shared_ptr<prometheus::Registry> registry,
                                         std::string_view listen) {
  auto address = parse_listen_address(listen);
  if (!address) return address.error();
  try {
    // civetweb throws (CivetException) when it cannot bind.
    auto exposer = std::make_unique<prometheus::Exposer>(address->to_string(), 2);
    exposer->RegisterCollectable(registry);
    return LiveExporter(std::move(registry), std::move(exposer), address->host);
  } catch (const std::exception& e) {
    return make_error("cannot serve metrics on " + address->to_string() + ": " + e.what());
  }
}

uint16_t LiveExporter::port() const {
  const auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : static_cast<uint16_t>(ports.front());
}

std::string LiveExporter::url() const {
  return "http://" + host_ + ":" + std::to_string(port()) + "/metrics";
}

}  // namespace scxfarm::metrics
