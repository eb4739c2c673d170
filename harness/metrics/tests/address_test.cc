// Address parsing for the live exporter and the Pushgateway; no sockets.
#include <gtest/gtest.h>

#include "scxfarm/metrics/live_exporter.h"
#include "scxfarm/metrics/push.h"

namespace scxfarm::metrics {
namespace {

TEST(ListenAddress, PortAloneMeansLoopback) {
  auto a = parse_listen_address(":9464");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9464);
}

TEST(ListenAddress, ExplicitHosts) {
  auto any = parse_listen_address("0.0.0.0:0");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->to_string(), "0.0.0.0:0");
  auto v6 = parse_listen_address("[::1]:9464");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, 9464);
}

TEST(ListenAddress, ClearErrors) {
  for (const char* bad : {"9464", "", ":", ":65536", ":-1", ":94x", "localhost:9464", "::1:9464",
                          "[::1:9464", "[nope]:9464", "1.2.3:80"}) {
    auto a = parse_listen_address(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_NE(a.error().message.find("expected HOST:PORT"), std::string::npos) << bad;
    EXPECT_NE(a.error().message.find(std::string("'") + bad + "'"), std::string::npos);
  }
}

TEST(GatewayUrl, Forms) {
  auto plain = parse_gateway_url("http://127.0.0.1:9091");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->scheme_and_host, "http://127.0.0.1");
  EXPECT_EQ(plain->port_and_path, "9091");

  auto bare = parse_gateway_url("pushgw.example:9091/");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->scheme_and_host, "http://pushgw.example");
  EXPECT_EQ(bare->port_and_path, "9091");

  auto prefixed = parse_gateway_url("https://gw.example/pushgateway/");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->scheme_and_host, "https://gw.example");
  EXPECT_EQ(prefixed->port_and_path, "443/pushgateway");

  auto v6 = parse_gateway_url("http://[::1]:9091");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->scheme_and_host, "http://[::1]");
  EXPECT_EQ(v6->port_and_path, "9091");
}

TEST(GatewayUrl, ClearErrors) {
  for (const char* bad : {"ftp://gw:21", "http://:9091", "http://gw:99999", "http://gw:90a1"}) {
    auto u = parse_gateway_url(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_NE(u.error().message.find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace scxfarm::metrics
