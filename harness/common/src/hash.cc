#include "scxfarm/common/hash.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "scxfarm/common/fs.h"

namespace scxfarm {

ContentHasher::ContentHasher() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

ContentHasher::~ContentHasher() {
  XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}

void ContentHasher::feed(std::string_view bytes) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), bytes.data(), bytes.size());
}

ContentHasher& ContentHasher::add(std::string_view label, std::string_view value) {
  const std::string header = std::to_string(label.size()) + ":" + std::string(label) + ":" +
                             std::to_string(value.size()) + ":";
  feed(header);
  feed(value);
  return *this;
}

Status ContentHasher::add_file(std::string_view label, const std::filesystem::path& path) {
  auto content = read_file(path);
  if (!content) return content.error();
  add(label, *content);
  return {};
}

Status ContentHasher::add_tree(std::string_view label, const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  if (ec) return make_error(dir.string() + ": cannot walk: " + ec.message());
  std::sort(files.begin(), files.end());
  add(label, std::to_string(files.size()));
  for (const auto& file : files) {
    auto status = add_file(std::filesystem::relative(file, dir).string(), file);
    if (!status) return status;
  }
  return {};
}

std::string ContentHasher::hex() const {
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

std::string hash_string(std::string_view data) {
  ContentHasher h;
  h.add("data", data);
  return h.hex();
}

}  // namespace scxfarm
