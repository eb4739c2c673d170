// Runs several VMs at once under a host CPU budget.
//
// Cost model (host CPUs a run keeps busy): a TCG VM with thread=single runs
// every vCPU in one host thread, so it costs 1; a KVM VM or a multi-threaded
// TCG VM runs one host thread per vCPU, so it costs its vCPU count. A cost
// above the budget is clamped to the budget (the run then runs alone).
// QEMU's I/O thread and the host's own session thread are not counted.
//
// Tasks start in their given order (first come, first served: no task is
// overtaken, so a suite's order is kept). A task starts when its cost fits in
// what is left of the budget. An exclusive task waits until nothing else
// runs, runs alone, and gets dedicated host CPUs to pin its VM to (its cost's
// worth of the CPUs the farm may use); nothing else starts until it ends, so
// it is never oversubscribed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scxfarm/config/model.h"
#include "scxfarm/vm/machine.h"

namespace scxfarm::vm {

uint32_t run_cost(AccelKind accel, config::TcgThreads threads, uint32_t vcpus);

// Host CPUs this process may run on (sched_getaffinity), ascending.
std::vector<uint32_t> usable_host_cpus();

struct PoolTask {
  std::string id;
  uint32_t cost = 1;       // budget units, see above
  bool exclusive = false;  // run alone on dedicated, pinned CPUs
  // Runs the task on a pool thread. PINNED: the host CPUs to pin the VM to
  // (exclusive tasks only; empty otherwise).
  std::function<void(const std::vector<uint32_t>& pinned)> run;
};

struct PoolStats {
  uint32_t peak_cost = 0;                // highest sum of costs running at once
  uint32_t peak_running = 0;             // most tasks running at once
  std::vector<std::string> start_order;  // task ids in the order they were admitted
};

class Pool {
 public:
  // BUDGET >= 1 host CPUs; HOST_CPUS: where exclusive runs are pinned
  // (default: usable_host_cpus()).
  explicit Pool(uint32_t budget, std::vector<uint32_t> host_cpus = usable_host_cpus());

  // Runs every task and returns when all have finished.
  PoolStats run_all(std::vector<PoolTask> tasks);

  uint32_t budget() const { return budget_; }

 private:
  uint32_t budget_;
  std::vector<uint32_t> host_cpus_;
};

}  // namespace scxfarm::vm
