// A VM backend without a VM, for unit tests of the pool, the session and the
// runner's outcome handling. Each created instance plays one FakeScript: it
// writes a console file and speaks the agent's side of the control channel
// over a socketpair (hello, topology, the run request, samples, verdict),
// then ends the way the script says.
#pragma once

#include <chrono>
#include <condition_variable>
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
  uint32_t samples = 3;              // samples of an attached root scheduler, after the run request
  std::chrono::milliseconds gap{5};  // between messages
  // After the samples: send the verdict, or go silent with the VM still up
  // (a hung agent), or end the VM (a crash or a kill), or close the channel
  // with the VM still up.
  enum class Then { kVerdict, kHang, kExitVm, kCloseChannel } then = Then::kVerdict;
  protocol::AgentOutcome verdict = protocol::AgentOutcome::kPass;
  std::string console = "[    0.000000] Linux version 7.3.4 (fake)\n";  // at start
  std::string late_console;  // appended after the verdict, before power-off
  bool power_off = true;     // the VM exits (code 0) after the verdict
  // > 0: before its hello, wait until this many instances are alive at once
  // (up to await_timeout, then go on): makes "these runs overlap" a fact the
  // test can rely on instead of a race it usually wins.
  uint32_t await_alive = 0;
  std::chrono::milliseconds await_timeout{5000};
};

class FakeBackend : public Backend {
 public:
  // Instance K plays SCRIPTS[K]; the last script repeats.
  explicit FakeBackend(std::vector<FakeScript> scripts);
  std::string name() const override { return "fake"; }
  Result<std::unique_ptr<Instance>> create(const MachineSpec& spec) override;

  size_t created() const;                  // create() calls, failed ones included
  std::vector<MachineSpec> specs() const;  // every spec create() saw
  uint32_t max_alive() const;              // most instances started at once

  // Every start and end of an instance, in the order they happened;
  // `instance` indexes specs() (creation order). Tells which runs overlapped.
  struct LifeEvent {
    size_t instance = 0;
    bool started = false;  // false: ended
  };
  std::vector<LifeEvent> timeline() const;

  // Used by the instances.
  void on_start(size_t instance);
  void on_end(size_t instance);
  // Waits up to TIMEOUT until at least N instances are alive.
  bool wait_alive(uint32_t n, std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mu_;
  std::condition_variable alive_cv_;
  std::vector<FakeScript> scripts_;
  std::vector<MachineSpec> specs_;
  std::vector<LifeEvent> timeline_;
  size_t created_ = 0;
  uint32_t alive_ = 0, max_alive_ = 0;
};

}  // namespace scxfarm::vm
