#include "scxfarm/vm/timeouts.h"

namespace scxfarm::vm {

namespace {
std::chrono::milliseconds scale(std::chrono::milliseconds value, double factor) {
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(value.count()) * factor));
}
}  // namespace

Timeouts Timeouts::scaled(double factor) const {
  Timeouts t;
  t.control_connect = scale(control_connect, factor);
  t.boot_to_hello = scale(boot_to_hello, factor);
  t.scenario_grace = scale(scenario_grace, factor);
  t.shutdown = scale(shutdown, factor);
  t.console_grace = scale(console_grace, factor);
  t.no_output = scale(no_output, factor);
  t.kvm_probe = kvm_probe;  // the probe is what decides the factor
  return t;
}

double default_timeout_scale(bool kvm) { return kvm ? 1.0 : 3.0; }

}  // namespace scxfarm::vm
