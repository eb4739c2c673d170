#include "scxfarm/vm/machine.h"

#include "scxfarm/protocol/contract.h"
#include "scxfarm/telemetry/cid_set.h"

namespace scxfarm::vm {

std::string_view to_string(AccelKind accel) {
  return name_of(kAccelKindSpellings, accel).value_or("?");
}

std::string qemu_escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

std::vector<std::string> cpu_ranges(const std::vector<uint32_t>& cpus) {
  std::vector<std::string> out;
  for (const auto& range : telemetry::CidSet::of(cpus).ranges()) {
    out.push_back(telemetry::to_string(range));
  }
  return out;
}

std::string kernel_cmdline(const MachineSpec& spec) {
  std::string cmdline = "console=ttyS0 panic=-1 quiet rdinit=/init";
  cmdline +=
      " " + std::string(protocol::kCmdlinePort) + "=" + std::string(protocol::kControlPortName);
  for (const auto& extra : spec.extra_cmdline) cmdline += " " + extra;
  return cmdline;
}

std::vector<std::string> qemu_argv(const MachineSpec& spec, const std::string& qemu_binary) {
  const auto& topo = spec.topology;
  std::vector<std::string> argv = {qemu_binary, "-machine", "q35"};
  if (spec.accel == AccelKind::kKvm) {
    argv.insert(argv.end(), {"-accel", "kvm", "-cpu", "host"});
  } else {
    argv.insert(argv.end(),
                {"-accel", "tcg,thread=" + std::string(config::to_string(spec.tcg_threads)), "-cpu",
                 topo.cpu_model});
  }
  argv.insert(argv.end(), {"-m", std::to_string(topo.memory_mib()) + "M"});
  argv.insert(argv.end(),
              {"-smp", std::to_string(topo.vcpus()) + ",sockets=" + std::to_string(topo.sockets) +
                           ",cores=" + std::to_string(topo.cores_per_socket) +
                           ",threads=" + std::to_string(topo.threads_per_core)});
  for (size_t i = 0; i < topo.nodes.size(); ++i) {
    const auto& node = topo.nodes[i];
    std::string numa = "node,nodeid=" + std::to_string(i);
    for (const auto& range : cpu_ranges(node.cpus)) numa += ",cpus=" + range;
    if (node.memory_mib > 0) {
      const std::string id = "mem" + std::to_string(i);
      argv.insert(argv.end(), {"-object", "memory-backend-ram,id=" + id +
                                              ",size=" + std::to_string(node.memory_mib) + "M"});
      numa += ",memdev=" + id;
    }
    argv.insert(argv.end(), {"-numa", numa});
  }
  for (size_t i = 0; i < topo.distances.size(); ++i) {
    for (size_t j = i + 1; j < topo.distances[i].size(); ++j) {
      argv.insert(argv.end(),
                  {"-numa", "dist,src=" + std::to_string(i) + ",dst=" + std::to_string(j) +
                                ",val=" + std::to_string(topo.distances[i][j])});
    }
  }
  argv.insert(argv.end(), {"-kernel", spec.kernel.string(), "-initrd", spec.initramfs.string(),
                           "-append", kernel_cmdline(spec)});
  // No display, no default devices, no network; a panic or power-off ends QEMU.
  argv.insert(argv.end(), {"-display", "none", "-nodefaults", "-nic", "none", "-no-reboot"});
  argv.insert(argv.end(),
              {"-chardev", "file,id=console,path=" + qemu_escape(spec.console_log.string()),
               "-serial", "chardev:console"});
  argv.insert(
      argv.end(),
      {"-device", "virtio-serial-pci", "-chardev",
       "socket,id=ctl,path=" + qemu_escape(spec.control_socket.string()) + ",server=on,wait=off",
       "-device", "virtserialport,chardev=ctl,name=" + std::string(protocol::kControlPortName)});
  return argv;
}

}  // namespace scxfarm::vm
