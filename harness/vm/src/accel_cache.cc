#include "scxfarm/vm/accel_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"
#include "scxfarm/common/text.h"
#include "scxfarm/results/timestamp.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace scxfarm::vm {

namespace {

// probe.json's layout; a file of another version is probed over.
constexpr int kSchemaVersion = 1;

struct CachedAnswer {
  AccelProbeKey key;
  AccelChoice choice;
  std::string probed_at;  // results::utc_timestamp
};

json to_json(const AccelProbeKey& key) {
  return json{{"qemu_path", key.qemu_path},
              {"qemu_size", key.qemu_size},
              {"qemu_mtime_ns", key.qemu_mtime_ns},
              {"qemu_version", key.qemu_version},
              {"boot_id", key.boot_id},
              {"kvm_present", key.kvm_present},
              {"kvm_accessible", key.kvm_accessible}};
}

// OBJECT[NAME] as a T, or an error naming the field and the type it needs.
template <typename T>
Result<T> field(const json& object, std::string_view where, const char* name) {
  const std::string path = std::string(where) + name;
  const auto it = object.find(name);
  if (it == object.end()) return make_error("field " + path + " missing");
  if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) return it->get<std::string>();
    return make_error("field " + path + ": expected a string");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean()) return it->get<bool>();
    return make_error("field " + path + ": expected true or false");
  } else {
    if (it->is_number_integer()) return it->get<T>();
    return make_error("field " + path + ": expected an integer");
  }
}

// The cached answer in TEXT, or why TEXT is not one.
Result<CachedAnswer> parse_cached_answer(const std::string& text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error("not JSON");
  if (!doc.is_object()) return make_error("not a JSON object");
  auto version = field<int64_t>(doc, "", "schema_version");
  if (!version) return version.error();
  if (*version != kSchemaVersion)
    return make_error("schema_version " + std::to_string(*version) + ", this farm reads " +
                      std::to_string(kSchemaVersion));
  const auto key_it = doc.find("key");
  if (key_it == doc.end() || !key_it->is_object())
    return make_error("field key: expected an object");
  const json& k = *key_it;
  CachedAnswer answer;
  // clang-format off
  auto path = field<std::string>(k, "key.", "qemu_path");      if (!path) return path.error();
  auto size = field<uint64_t>(k, "key.", "qemu_size");         if (!size) return size.error();
  auto mtime = field<int64_t>(k, "key.", "qemu_mtime_ns");     if (!mtime) return mtime.error();
  auto qemu_version = field<std::string>(k, "key.", "qemu_version");
  if (!qemu_version) return qemu_version.error();
  auto boot_id = field<std::string>(k, "key.", "boot_id");     if (!boot_id) return boot_id.error();
  auto present = field<bool>(k, "key.", "kvm_present");        if (!present) return present.error();
  auto accessible = field<bool>(k, "key.", "kvm_accessible");  if (!accessible) return accessible.error();
  // clang-format on
  answer.key = {*path, *size, *mtime, *qemu_version, *boot_id, *present, *accessible};
  auto accel = field<std::string>(doc, "", "accel");
  if (!accel) return accel.error();
  const auto kind = value_of(kAccelKindSpellings, *accel);
  if (!kind) return make_error("field accel: \"" + *accel + "\", allowed kvm, tcg");
  auto reason = field<std::string>(doc, "", "reason");
  if (!reason) return reason.error();
  auto probed_at = field<std::string>(doc, "", "probed_at");
  if (!probed_at) return probed_at.error();
  if (!results::parse_utc_timestamp(*probed_at))
    return make_error("field probed_at: \"" + *probed_at + "\", expected YYYY-MM-DDTHH:MM:SSZ");
  answer.choice = {*kind, *reason};
  answer.probed_at = *probed_at;
  return answer;
}

// Which parts of the key differ, for the log line: "boot id, QEMU version".
std::string changed_parts(const AccelProbeKey& stored, const AccelProbeKey& now) {
  std::vector<std::string> parts;
  if (stored.qemu_path != now.qemu_path) parts.emplace_back("QEMU path");
  if (stored.qemu_size != now.qemu_size || stored.qemu_mtime_ns != now.qemu_mtime_ns)
    parts.emplace_back("QEMU binary");
  if (stored.qemu_version != now.qemu_version) parts.emplace_back("QEMU version");
  if (stored.boot_id != now.boot_id) parts.emplace_back("boot id");
  if (stored.kvm_present != now.kvm_present || stored.kvm_accessible != now.kvm_accessible)
    parts.emplace_back("/dev/kvm");
  return text::join(parts, ", ");
}

class CachedAccelProbe {
 public:
  CachedAccelProbe(fs::path file, std::function<Result<AccelProbeKey>()> read_key,
                   UncachedAccelProbe probe, std::function<void(const std::string&)> log)
      : file_(std::move(file)),
        read_key_(std::move(read_key)),
        probe_(std::move(probe)),
        log_(std::move(log)) {}

  AccelChoice operator()(const fs::path& kernel, std::chrono::milliseconds timeout) const {
    auto key = read_key_();
    if (!key) {
      log_("accelerator cache not used (" + key.error().message + "); probing");
      return probe_(kernel, timeout).choice;
    }
    if (auto hit = lookup(*key)) return *hit;
    const AccelProbeResult result = probe_(kernel, timeout);
    if (result.conclusive) store(*key, result.choice);
    return result.choice;
  }

 private:
  std::optional<AccelChoice> lookup(const AccelProbeKey& key) const {
    std::error_code ec;
    if (!fs::exists(file_, ec)) return std::nullopt;  // first probe on this host
    auto text = read_file(file_);
    if (!text) {
      log_("accelerator cache " + file_.string() + " unreadable (" + text.error().message +
           "); probing again");
      return std::nullopt;
    }
    auto cached = parse_cached_answer(*text);
    if (!cached) {
      log_("accelerator cache " + file_.string() + " ignored (" + cached.error().message +
           "); probing again");
      return std::nullopt;
    }
    if (!(cached->key == key)) {
      log_("accelerator cache " + file_.string() + " is for another host state (" +
           changed_parts(cached->key, key) + " changed); probing again");
      return std::nullopt;
    }
    return AccelChoice{cached->choice.accel,
                       "cached probe from " + cached->probed_at + ": " + cached->choice.reason};
  }

  void store(const AccelProbeKey& key, const AccelChoice& choice) const {
    const json doc = {{"schema_version", kSchemaVersion},
                      {"key", to_json(key)},
                      {"accel", std::string(to_string(choice.accel))},
                      {"reason", choice.reason},
                      {"probed_at", results::utc_timestamp(std::chrono::system_clock::now())}};
    Status written = ensure_dir(file_.parent_path());
    if (written) written = write_file_atomic(file_, doc.dump(2) + "\n");
    if (!written)
      log_("accelerator choice not cached in " + file_.string() + ": " + written.error().message);
  }

  fs::path file_;
  std::function<Result<AccelProbeKey>()> read_key_;
  UncachedAccelProbe probe_;
  std::function<void(const std::string&)> log_;
};

}  // namespace

Result<AccelProbeKey> read_accel_probe_key(const std::string& qemu_binary,
                                           const AccelKeySources& sources) {
  const auto found = find_program(qemu_binary);
  if (!found) return make_error("QEMU missing: " + qemu_binary + " is not an executable in $PATH");
  std::error_code ec;
  const fs::path resolved = fs::canonical(*found, ec);
  if (ec) return make_error(found->string() + ": " + ec.message());
  struct stat st {};
  if (::stat(resolved.c_str(), &st) != 0)
    return make_error(resolved.string() + ": " + std::strerror(errno));
  AccelProbeKey key;
  key.qemu_path = resolved.string();
  key.qemu_size = static_cast<uint64_t>(st.st_size);
  key.qemu_mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  auto version = run_command({found->string(), "--version"}, sources.version_timeout);
  if (!version) return version.error().context(found->string() + " --version");
  if (version->timed_out || !version->status.success())
    return make_error(found->string() + " --version: " +
                      (version->timed_out ? "timed out" : version->status.describe()));
  key.qemu_version = std::string(text::trim(version->output));
  auto boot_id = read_file(sources.boot_id);
  if (!boot_id) return boot_id.error().context("boot id");
  key.boot_id = std::string(text::trim(*boot_id));
  if (key.boot_id.empty()) return make_error("boot id: " + sources.boot_id.string() + " is empty");
  key.kvm_present = ::access(sources.kvm_device.c_str(), F_OK) == 0;
  key.kvm_accessible = key.kvm_present && ::access(sources.kvm_device.c_str(), R_OK | W_OK) == 0;
  return key;
}

fs::path accel_cache_file(const fs::path& cache_root) {
  return cache_root / "accel" / "probe.json";
}

AccelProbe cached_accel_probe(fs::path cache_file, std::function<Result<AccelProbeKey>()> read_key,
                              UncachedAccelProbe probe,
                              std::function<void(const std::string&)> log) {
  return CachedAccelProbe(std::move(cache_file), std::move(read_key), std::move(probe),
                          std::move(log));
}

}  // namespace scxfarm::vm
