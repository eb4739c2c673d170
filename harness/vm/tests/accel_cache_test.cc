// The accelerator cache with a stand-in probe and stand-in host facts: hits,
// a miss on every part of the key, corrupt files, failures that must not be
// fatal. The key reader runs against a script that plays `qemu --version`.
#include "scxfarm/vm/accel_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "scxfarm/common/fs.h"
#include "scxfarm/results/timestamp.h"

namespace fs = std::filesystem;

namespace scxfarm::vm {
namespace {

using namespace std::chrono_literals;

AccelProbeKey host_key() {
  return {"/usr/bin/qemu-system-x86_64",
          12'345'678,
          1'700'000'000'123'456'789,
          "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)",
          "3f63241b-d0e4-4307-bc65-fe535abe9680",
          true,
          true};
}

class AccelCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("scxfarm-accel-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = accel_cache_file(dir_ / "cache");
  }
  void TearDown() override { fs::remove_all(dir_); }

  AccelChoice decide() {
    auto probe = cached_accel_probe(
        file_,
        [this]() -> Result<AccelProbeKey> {
          if (!key_error_.empty()) return make_error(key_error_);
          return key_;
        },
        [this](const fs::path& kernel, std::chrono::milliseconds timeout) {
          ++probes_;
          EXPECT_EQ(kernel, "/k/vmlinuz");
          EXPECT_EQ(timeout, 10s);
          return answer_;
        },
        [this](const std::string& line) { log_.push_back(line); });
    return probe("/k/vmlinuz", 10s);
  }

  nlohmann::json stored() const { return nlohmann::json::parse(read_file(file_).value()); }

  // True when some log line holds every one of PARTS.
  bool logged(std::initializer_list<std::string> parts) const {
    for (const auto& line : log_) {
      bool all = true;
      for (const auto& part : parts) all = all && line.find(part) != std::string::npos;
      if (all) return true;
    }
    return false;
  }

  fs::path dir_, file_;
  AccelProbeKey key_ = host_key();
  std::string key_error_;
  AccelProbeResult answer_{{AccelKind::kTcg, "KVM probe boot failed (exit code 134); using TCG"},
                           true};
  int probes_ = 0;
  std::vector<std::string> log_;
};

TEST_F(AccelCache, AMissProbesAndStoresAHitDoesNot) {
  const auto first = decide();
  EXPECT_EQ(probes_, 1);
  EXPECT_EQ(first.accel, AccelKind::kTcg);
  EXPECT_EQ(first.reason, answer_.choice.reason);
  EXPECT_TRUE(log_.empty());
  const auto json = stored();
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["accel"], "tcg");
  EXPECT_EQ(json["reason"], answer_.choice.reason);
  EXPECT_EQ(json["key"]["boot_id"], key_.boot_id);
  EXPECT_EQ(json["key"]["qemu_mtime_ns"], key_.qemu_mtime_ns);
  const std::string probed_at = json["probed_at"];
  EXPECT_TRUE(results::parse_utc_timestamp(probed_at).has_value()) << probed_at;

  answer_ = {{AccelKind::kKvm, "a probe must not run"}, true};
  const auto second = decide();
  EXPECT_EQ(probes_, 1);
  EXPECT_EQ(second.accel, AccelKind::kTcg);
  EXPECT_EQ(second.reason, "cached probe from " + probed_at +
                               ": KVM probe boot failed (exit code 134); using TCG");
  EXPECT_TRUE(log_.empty());
}

TEST_F(AccelCache, AKvmAnswerIsCachedToo) {
  answer_ = {{AccelKind::kKvm, "KVM probe boot succeeded"}, true};
  EXPECT_EQ(decide().accel, AccelKind::kKvm);
  EXPECT_EQ(decide().accel, AccelKind::kKvm);
  EXPECT_EQ(probes_, 1);
  EXPECT_EQ(stored()["accel"], "kvm");
}

TEST_F(AccelCache, EveryPartOfTheKeyProbesAgainWhenItChanges) {
  const std::vector<std::pair<std::string, std::function<void(AccelProbeKey&)>>> changes = {
      {"QEMU path", [](AccelProbeKey& k) { k.qemu_path = "/opt/qemu/bin/qemu-system-x86_64"; }},
      {"QEMU binary", [](AccelProbeKey& k) { k.qemu_size += 1; }},
      {"QEMU binary", [](AccelProbeKey& k) { k.qemu_mtime_ns += 1; }},
      {"QEMU version", [](AccelProbeKey& k) { k.qemu_version = "QEMU emulator version 8.2.0"; }},
      {"boot id", [](AccelProbeKey& k) { k.boot_id = "b0a1c2d3-0000-4000-8000-000000000000"; }},
      {"/dev/kvm", [](AccelProbeKey& k) { k.kvm_present = false; }},
      {"/dev/kvm", [](AccelProbeKey& k) { k.kvm_accessible = false; }},
  };
  for (const auto& [part, change] : changes) {
    SCOPED_TRACE(part);
    key_ = host_key();
    fs::remove(file_);
    decide();  // stores under the host's key
    const int before = probes_;
    decide();
    ASSERT_EQ(probes_, before) << "the unchanged key must hit";
    change(key_);
    log_.clear();
    decide();
    EXPECT_EQ(probes_, before + 1);
    EXPECT_TRUE(logged({file_.string(), part + " changed", "probing again"}))
        << (log_.empty() ? "" : log_[0]);
    decide();  // the new answer is stored under the new key
    EXPECT_EQ(probes_, before + 1);
  }
}

TEST_F(AccelCache, ACorruptFileIsIgnoredWithALogLineAndProbedOver) {
  const std::vector<std::pair<std::string, std::string>> corrupt = {
      {"{\"schema_version\": 1, \"key\": {", "not JSON"},
      {"[1, 2]", "not a JSON object"},
      {"", "not JSON"},
      {"{\"schema_version\": 7}", "schema_version 7"},
      {"{\"schema_version\": 1, \"accel\": \"tcg\"}", "field key"},
  };
  for (const auto& [text, why] : corrupt) {
    SCOPED_TRACE(text);
    ASSERT_TRUE(ensure_dir(file_.parent_path()).ok());
    ASSERT_TRUE(write_file_atomic(file_, text).ok());
    const int before = probes_;
    log_.clear();
    EXPECT_EQ(decide().reason, answer_.choice.reason);
    EXPECT_EQ(probes_, before + 1);
    EXPECT_TRUE(logged({file_.string(), "ignored", why, "probing again"}))
        << (log_.empty() ? "" : log_[0]);
    decide();  // rewritten: the next decision hits
    EXPECT_EQ(probes_, before + 1);
  }
}

TEST_F(AccelCache, AFieldOfTheWrongKindNamesTheField) {
  decide();
  const auto good = stored();
  const std::vector<std::tuple<std::string, nlohmann::json, std::string>> edits = {
      {"accel", "xyz", "field accel: \"xyz\", allowed kvm, tcg"},
      {"reason", 3, "field reason: expected a string"},
      {"probed_at", "yesterday", "field probed_at: \"yesterday\""},
      {"/key/kvm_present", "yes", "field key.kvm_present: expected true or false"},
      {"/key/qemu_size", "big", "field key.qemu_size: expected an integer"},
  };
  for (const auto& [where, value, why] : edits) {
    SCOPED_TRACE(where);
    auto doc = good;
    if (where[0] == '/')
      doc[nlohmann::json::json_pointer(where)] = value;
    else
      doc[where] = value;
    ASSERT_TRUE(write_file_atomic(file_, doc.dump()).ok());
    const int before = probes_;
    log_.clear();
    decide();
    EXPECT_EQ(probes_, before + 1);
    EXPECT_TRUE(logged({file_.string(), why})) << (log_.empty() ? "" : log_[0]);
  }
  auto missing = good;
  missing["key"].erase("boot_id");
  ASSERT_TRUE(write_file_atomic(file_, missing.dump()).ok());
  log_.clear();
  decide();
  EXPECT_TRUE(logged({"field key.boot_id missing"})) << (log_.empty() ? "" : log_[0]);
}

TEST_F(AccelCache, AnInconclusiveProbeIsNotStored) {
  answer_ = {{AccelKind::kTcg, "KVM probe could not start QEMU: no such file"}, false};
  decide();
  decide();
  EXPECT_EQ(probes_, 2);
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(AccelCache, AnUnreadableKeyProbesWithoutTheCache) {
  key_error_ = "QEMU missing: qemu-system-x86_64 is not an executable in $PATH";
  EXPECT_EQ(decide().reason, answer_.choice.reason);
  decide();
  EXPECT_EQ(probes_, 2);
  EXPECT_FALSE(fs::exists(file_));
  EXPECT_TRUE(logged({"accelerator cache not used", key_error_}));
}

TEST_F(AccelCache, AnUnwritableCacheStillAnswers) {
  ASSERT_TRUE(write_file_atomic(dir_ / "blocker", "a file where a directory should be").ok());
  file_ = accel_cache_file(dir_ / "blocker");
  EXPECT_EQ(decide().reason, answer_.choice.reason);
  EXPECT_TRUE(logged({"not cached in", file_.string()})) << (log_.empty() ? "" : log_[0]);
}

TEST_F(AccelCache, TheFileLivesUnderTheCacheRoot) {
  EXPECT_EQ(accel_cache_file("/var/cache/scxfarm"), "/var/cache/scxfarm/accel/probe.json");
}

// read_accel_probe_key against a script that answers --version like QEMU.
class AccelKey : public AccelCache {
 protected:
  void SetUp() override {
    AccelCache::SetUp();
    qemu_ = dir_ / "bin" / "qemu-system-x86_64";
    fs::create_directories(qemu_.parent_path());
    write_qemu("#!/bin/sh\necho 'QEMU emulator version 9.9.9'\necho 'Copyright (c) 2003'\n");
    ASSERT_TRUE(write_file_atomic(dir_ / "boot_id", "6a1f0c2e-1111-4222-8333-444455556666\n").ok());
    sources_.boot_id = dir_ / "boot_id";
    sources_.kvm_device = dir_ / "kvm";
  }
  void write_qemu(const std::string& script) {
    ASSERT_TRUE(write_file_atomic(qemu_, script).ok());
    fs::permissions(qemu_, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  }
  AccelProbeKey key() {
    auto k = read_accel_probe_key(qemu_.string(), sources_);
    EXPECT_TRUE(k.ok()) << k.error().message;
    return k.ok() ? *k : AccelProbeKey{};
  }
  fs::path qemu_;
  AccelKeySources sources_;
};

TEST_F(AccelKey, ReadsTheBinaryItsVersionTheBootIdAndDevKvm) {
  const auto k = key();
  EXPECT_EQ(k.qemu_path, fs::canonical(qemu_).string());
  EXPECT_EQ(k.qemu_size, fs::file_size(qemu_));
  EXPECT_GT(k.qemu_mtime_ns, 0);
  EXPECT_EQ(k.qemu_version, "QEMU emulator version 9.9.9\nCopyright (c) 2003");
  EXPECT_EQ(k.boot_id, "6a1f0c2e-1111-4222-8333-444455556666");
  EXPECT_FALSE(k.kvm_present);
  EXPECT_FALSE(k.kvm_accessible);

  ASSERT_TRUE(write_file_atomic(dir_ / "kvm", "").ok());
  const auto with_kvm = key();
  EXPECT_TRUE(with_kvm.kvm_present);
  EXPECT_EQ(with_kvm.kvm_accessible, ::access((dir_ / "kvm").c_str(), R_OK | W_OK) == 0);
}

TEST_F(AccelKey, FollowsTheBinaryThroughPathAndSymlinks) {
  fs::create_symlink(qemu_, dir_ / "bin" / "qemu-link");
  const std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir_ / "bin").c_str(), 1);
  auto by_name = read_accel_probe_key("qemu-link", sources_);
  ::setenv("PATH", saved_path.c_str(), 1);
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
  EXPECT_EQ(*by_name, key());
}

TEST_F(AccelKey, ANewBinaryOrVersionOrBootIsANewKey) {
  const auto before = key();
  write_qemu("#!/bin/sh\necho 'QEMU emulator version 9.9.9'\necho 'Copyright (c) 2003'\n# new\n");
  EXPECT_NE(key().qemu_size, before.qemu_size);

  const auto touched = key();
  fs::last_write_time(qemu_, fs::last_write_time(qemu_) + 1h);
  EXPECT_NE(key().qemu_mtime_ns, touched.qemu_mtime_ns);

  write_qemu("#!/bin/sh\necho 'QEMU emulator version 9.9.8'\necho 'Copyright (c) 2003'\n");
  EXPECT_EQ(key().qemu_version, "QEMU emulator version 9.9.8\nCopyright (c) 2003");

  ASSERT_TRUE(write_file_atomic(dir_ / "boot_id", "77777777-1111-4222-8333-444455556666\n").ok());
  EXPECT_EQ(key().boot_id, "77777777-1111-4222-8333-444455556666");
}

TEST_F(AccelKey, WhatCannotBeReadIsAnError) {
  auto missing = read_accel_probe_key((dir_ / "no-qemu").string(), sources_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("QEMU missing"), std::string::npos);

  write_qemu("#!/bin/sh\nexit 1\n");
  auto failing = read_accel_probe_key(qemu_.string(), sources_);
  ASSERT_FALSE(failing.ok());
  EXPECT_NE(failing.error().message.find("--version: exit code 1"), std::string::npos)
      << failing.error().message;

  write_qemu("#!/bin/sh\necho 'QEMU emulator version 9.9.9'\n");
  sources_.boot_id = dir_ / "no-boot-id";
  auto no_boot = read_accel_probe_key(qemu_.string(), sources_);
  ASSERT_FALSE(no_boot.ok());
  EXPECT_NE(no_boot.error().message.find("boot id"), std::string::npos);
}

}  // namespace
}  // namespace scxfarm::vm
