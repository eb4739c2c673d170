#pragma once

#include <memory>

#include "scxfarm/provision/kernel_provider.h"

namespace scxfarm::provision {
std::unique_ptr<KernelProvider> make_build_provider(const config::KernelConfig& kernel,
                                                    ProvisionSteps steps);
}  // namespace scxfarm::provision
