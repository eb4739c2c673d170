#include "scxfarm/provision/cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "scxfarm/common/fs.h"

#ifndef SCXFARM_SOURCE_DIR
#error "SCXFARM_SOURCE_DIR must be defined by the build"
#endif

namespace scxfarm::provision {

std::filesystem::path default_cache_root() {
  if (const char* env = std::getenv("SCXFARM_CACHE"); env && *env) return env;
  return "/var/cache/scxfarm";
}

std::filesystem::path default_source_dir() {
  if (const char* env = std::getenv("SCXFARM_SOURCE_DIR"); env && *env) return env;
  return SCXFARM_SOURCE_DIR;
}

Result<ArtifactLock> ArtifactLock::acquire(const std::filesystem::path& path) {
  auto parent = path.parent_path();
  if (auto st = ensure_dir(parent); !st) return st.error();
  const std::string lock_path = path.string() + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(lock_path + ": cannot open lock: " + std::strerror(errno));
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return make_error(lock_path + ": flock: " + why);
    }
  }
  return ArtifactLock(fd);
}

ArtifactLock::~ArtifactLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace scxfarm::provision
