#include "scxfarm/common/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace scxfarm {

namespace {
std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path.string() + ": cannot open: " + errno_text());
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return make_error(path.string() + ": read error");
  return buf.str();
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const std::string tmp = path.string() + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(tmp + ": cannot create: " + errno_text());
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = errno_text();
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(tmp + ": write failed: " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    return make_error(tmp + ": fsync/close failed: " + why);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    return make_error(path.string() + ": rename failed: " + why);
  }
  return {};
}

Result<PrivateTempDir> PrivateTempDir::create(const std::filesystem::path& parent,
                                              const std::string& prefix) {
  const std::string pattern = (parent / (prefix + "XXXXXX")).string();
  std::string name = pattern;  // mkdtemp fills in the Xs
  if (::mkdtemp(name.data()) == nullptr)
    return make_error(pattern + ": cannot create a private directory: " + errno_text());
  return PrivateTempDir(name);
}

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept
    : path_(std::exchange(other.path_, {})) {}

PrivateTempDir& PrivateTempDir::operator=(PrivateTempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

PrivateTempDir::~PrivateTempDir() {
  remove();
}

void PrivateTempDir::remove() {
  if (path_.empty()) return;
  std::error_code ec;  // a destructor cannot report; nothing else owns the directory
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

Status ensure_dir(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return make_error(path.string() + ": cannot create directory: " + ec.message());
  return {};
}

}  // namespace scxfarm
