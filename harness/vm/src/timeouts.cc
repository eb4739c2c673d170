#include "scxfarm/vm/timeouts.h"

namespace scxfarm::vm {

namespace {
std::chrono::milliseconds scale(std::chrono::milliseconds value, double factor) {
  return std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(value.count()) * factor));
}
}  // namespace

Timeouts Timeouts::scaled(double by) const {
  const double factor = this->factor * by;  // values are relative to the unscaled table
  Timeouts t;
  t.control_connect = scale(control_connect, by);
  t.boot_to_hello = scale(boot_to_hello, by);
  t.scenario_grace = scale(scenario_grace, by);
  t.shutdown = scale(shutdown, by);
  t.console_grace = scale(console_grace, by);
  t.no_output = scale(no_output, by);
  t.factor = factor;
  return t;
}

double default_timeout_scale(bool kvm) {
  return kvm ? 1.0 : 3.0;
}

std::chrono::milliseconds kvm_probe_timeout(double requested_scale) {
  const double factor = requested_scale > 0 ? requested_scale : default_timeout_scale(/*kvm=*/true);
  return Timeouts{}.scaled(factor).kvm_probe();
}

}  // namespace scxfarm::vm
