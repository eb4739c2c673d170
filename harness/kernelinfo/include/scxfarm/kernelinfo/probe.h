// The BTF probe: parse a kernel's BTF with libbpf and record which features
// of the vocabulary (features.h) it has. Fast enough to run before every
// suite (measured on the default 7.3 kernel: docs/PERFORMANCE.md), so
// nothing is cached.
#pragma once

#include <filesystem>

#include "scxfarm/common/result.h"
#include "scxfarm/kernelinfo/features.h"

namespace scxfarm::kernelinfo {

// VMLINUX: an ELF with a .BTF section (a vmlinux) or a raw BTF file
// (/sys/kernel/btf/vmlinux, or one written by btf__raw_data). An error
// names the file and libbpf's complaint when it holds no readable BTF.
Result<KernelFeatures> probe_btf(const std::filesystem::path& vmlinux);

}  // namespace scxfarm::kernelinfo
