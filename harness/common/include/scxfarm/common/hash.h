// Content hashing for cache keys (XXH3-128, hex). A key covers every input of
// a build step: files by content, settings by value, other keys by value.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"

namespace scxfarm {

class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  // Each add is length-prefixed and tagged so ("ab","c") != ("a","bc").
  ContentHasher& add(std::string_view label, std::string_view value);
  // Adds the file's bytes (not its timestamp or path).
  Status add_file(std::string_view label, const std::filesystem::path& path);
  // Adds every regular file below DIR in sorted path order, with its relative path.
  Status add_tree(std::string_view label, const std::filesystem::path& dir);

  // 32 lowercase hex digits.
  std::string hex() const;

 private:
  void feed(std::string_view bytes);
  void* state_;
};

std::string hash_string(std::string_view data);

}  // namespace scxfarm
