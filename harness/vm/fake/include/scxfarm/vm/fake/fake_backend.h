// A VM backend without a VM, for unit tests of the pool, the session and the
// runner's outcome handling. Each created instance plays one FakeScript: it
// writes a console file and speaks the agent's side of the control channel
// over a socketpair (hello, topology, the run request, samples, verdict),
// then ends the way the script says.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scxfarm/protocol/messages.h"
#include "scxfarm/vm/backend.h"

namespace scxfarm::vm {

struct FakeScript {
  std::string create_error;  // non-empty: create() fails (like "QEMU missing")
  std::string start_error;   // non-empty: start() fails
  bool hello = true;         // false: never says hello (a boot failure)
  std::optional<protocol::TopologySeen> topology;  // sent right after hello
  uint32_t samples = 3;      // samples of an attached root scheduler, after the run request
  std::chrono::milliseconds gap{5};  // between messages
  // After the samples: send the verdict, or go silent with the VM still up
  // (a hung agent), or end the VM (a crash or a kill), or close the channel
  // with the VM still up.
  enum class Then { kVerdict, kHang, kExitVm, kCloseChannel } then = Then::kVerdict;
  std::string verdict = "pass";
  std::string console = "[    0.000000] Linux version 7.3.4 (fake)\n";  // at start
  std::string late_console;  // appended after the verdict, before power-off
  bool power_off = true;     // the VM exits (code 0) after the verdict
};

class FakeBackend : public Backend {
 public:
  // Instance K plays SCRIPTS[K]; the last script repeats.
  explicit FakeBackend(std::vector<FakeScript> scripts);
  std::string name() const override { return "fake"; }
  Result<std::unique_ptr<Instance>> create(const MachineSpec& spec) override;

  size_t created() const;                 // create() calls, failed ones included
  std::vector<MachineSpec> specs() const;  // every spec create() saw
  uint32_t max_alive() const { return max_alive_.load(); }  // most instances started at once

  // Used by the instances.
  void on_start();
  void on_end();

 private:
  mutable std::mutex mu_;
  std::vector<FakeScript> scripts_;
  std::vector<MachineSpec> specs_;
  size_t created_ = 0;
  std::atomic<uint32_t> alive_{0}, max_alive_{0};
};

}  // namespace scxfarm::vm
