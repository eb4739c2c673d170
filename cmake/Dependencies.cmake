# Every external library, and why it is here. All come from Debian 12
# packages (ci/host-packages.txt) except prometheus-cpp, which ci/bootstrap.sh
# builds from Debian's upstream tarball into a cache prefix.

# Strict config loading needs node marks (line/column) for error messages.
find_package(yaml-cpp REQUIRED)
# Host<->guest protocol, run.json and the CLI's JSON output.
find_package(nlohmann_json 3.10 REQUIRED)
# Subcommands with per-command --help; hand-written option parsing would not
# give users consistent errors.
find_package(CLI11 REQUIRED)
# Formatting and leveled, timestamped logs on stderr and in the run log.
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
# Content hashes for cache keys: fast, stable across versions (XXH3-128).
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# Kernel feature probing (harness/kernelinfo): libbpf parses a vmlinux's BTF
# (ELF or raw) and looks types up by name and kind, so the farm never parses
# BTF by hand. Debian 12's libbpf-dev (1.1) ships a pkg-config file but no
# CMake package.
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf>=1.0)
# Metrics in Prometheus formats (text file, live exporter, Pushgateway).
find_package(prometheus-cpp REQUIRED COMPONENTS core pull push)
# `scxfarm compare`: the normal and Student t distributions and their
# quantiles from Boost.Math (header-only, Debian's libboost-math-dev), so no
# special function is written by hand.
find_package(Boost 1.74 REQUIRED)
# Unit tests and hot-path benchmarks.
find_package(GTest REQUIRED)
if(SCXFARM_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
find_package(Threads REQUIRED)
