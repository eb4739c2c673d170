// The artifact cache: every built thing lives at CACHE/<kind>/<key>/, where
// <key> hashes all of its inputs. A directory that exists is complete
// (Provisioner::obtain publishes by rename), so a second `setup` does no work.
#pragma once

#include <filesystem>
#include <string>

#include "scxfarm/common/result.h"

namespace scxfarm::provision {

// $SCXFARM_CACHE, else /var/cache/scxfarm (outside any clone, so reruns and
// fresh clones on the same machine share it).
std::filesystem::path default_cache_root();

// $SCXFARM_SOURCE_DIR, else the source tree this binary was built from.
std::filesystem::path default_source_dir();

class ArtifactLock {
 public:
  // Blocks until this process holds an exclusive lock on PATH.lock (flock):
  // two runs preparing the same artifact build it once.
  static Result<ArtifactLock> acquire(const std::filesystem::path& path);
  ArtifactLock(ArtifactLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ArtifactLock& operator=(ArtifactLock&&) = delete;
  ~ArtifactLock();

 private:
  explicit ArtifactLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace scxfarm::provision
