#include "scxfarm/vm/pool.h"

#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace scxfarm::vm {

uint32_t run_cost(AccelKind accel, config::TcgThreads threads, uint32_t vcpus) {
  if (accel == AccelKind::kTcg && threads == config::TcgThreads::kSingle) return 1;
  return std::max<uint32_t>(vcpus, 1);
}

std::vector<uint32_t> usable_host_cpus() {
  std::vector<uint32_t> out;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (uint32_t c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) out.push_back(c);
  }
  if (out.empty()) out.push_back(0);
  return out;
}

Pool::Pool(uint32_t budget, std::vector<uint32_t> host_cpus)
    : budget_(std::max<uint32_t>(budget, 1)), host_cpus_(std::move(host_cpus)) {
  if (host_cpus_.empty()) host_cpus_.push_back(0);
}

PoolStats Pool::run_all(std::vector<PoolTask> tasks) {
  PoolStats stats;
  std::mutex mu;
  std::condition_variable changed;
  uint32_t used = 0, running = 0;
  bool exclusive_running = false;
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());

  for (auto& task : tasks) {
    const uint32_t cost = std::clamp<uint32_t>(task.cost, 1, budget_);
    std::vector<uint32_t> pinned;
    {
      std::unique_lock lock(mu);
      changed.wait(lock, [&] {
        if (exclusive_running) return false;
        if (task.exclusive) return running == 0;
        return used + cost <= budget_;
      });
      used += cost;
      ++running;
      exclusive_running = task.exclusive;
      if (task.exclusive) {
        const size_t n = std::min<size_t>(cost, host_cpus_.size());
        pinned.assign(host_cpus_.begin(), host_cpus_.begin() + static_cast<long>(n));
      }
      stats.peak_cost = std::max(stats.peak_cost, used);
      stats.peak_running = std::max(stats.peak_running, running);
      stats.start_order.push_back(task.id);
    }
    threads.emplace_back([&, cost, exclusive = task.exclusive, pinned = std::move(pinned),
                          run = std::move(task.run)] {
      run(pinned);
      std::lock_guard lock(mu);
      used -= cost;
      --running;
      if (exclusive) exclusive_running = false;
      changed.notify_all();
    });
  }
  for (auto& t : threads) t.join();
  return stats;
}

}  // namespace scxfarm::vm
