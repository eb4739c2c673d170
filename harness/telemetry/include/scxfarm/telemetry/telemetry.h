// Everything in scxfarm::telemetry: cid sets, sysfs parsers, invariants and
// the qmap hier-line parser.
#pragma once

#include "scxfarm/telemetry/cid_set.h"
#include "scxfarm/telemetry/hier.h"
#include "scxfarm/telemetry/invariants.h"
#include "scxfarm/telemetry/sysfs.h"
