// Small system helpers: kernel text files, the kernel command line, the
// virtio-serial port lookup and output tails. Nothing here throws; kernel
// text is treated as untrusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"
#include "scxfarm/common/text.h"

namespace scxfarm::agent {

// Whole file (sysfs/procfs/cgroupfs files report size 0, so read until EOF).
Result<std::string> read_text(const std::filesystem::path& path, size_t max_bytes = 1 << 20);
// One write(2) of CONTENT: kernel control files take a value per write.
Status write_text(const std::filesystem::path& path, std::string_view content);
// text::trim as an owned string: kernel text is read into a temporary and
// kept trimmed ("enabled", "0-3").
inline std::string trim(std::string_view text) {
  return std::string(text::trim(text));
}

struct AgentOptions {
  std::string port_name;  // virtio-serial port name
  bool debug = false;
};
// Parses /proc/cmdline text for scxfarm.port= and scxfarm.debug=.
AgentOptions parse_cmdline(std::string_view cmdline);

// /dev/<dir> for the virtio port whose <ports_dir>/<dir>/name equals NAME.
Result<std::filesystem::path> find_port(const std::filesystem::path& ports_dir,
                                        const std::filesystem::path& dev_dir,
                                        const std::string& name);

// The inode number of a cgroup2 directory: its cgroup id.
Result<uint64_t> cgroup_id(const std::filesystem::path& cgroup_dir);

// Keeps the last CAPACITY bytes of a stream, cut at a line start when it can.
class OutputTail {
 public:
  explicit OutputTail(size_t capacity = 4096) : capacity_(capacity) {}
  void append(std::string_view data);
  std::string text() const;

 private:
  size_t capacity_;
  std::string buffer_;
  bool truncated_ = false;
};

}  // namespace scxfarm::agent
