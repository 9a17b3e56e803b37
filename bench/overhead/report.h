// Turns the measured runs into the printed figures: the side-by-side table, the targets with
// PASS/MISS, and where the agent's own time goes according to its debug log.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sides.h"
#include "tree_generator.h"

namespace guestbackup::bench {

// The goals this benchmark checks; missing them is reported, never an error.
inline constexpr double kTargetRatio = 1.03;
inline constexpr double kTargetOverheadMs = 30.0;

struct Measurements {
  std::string kopia_version;
  unsigned cpus = 0;
  TreeStats tree;
  double bare_connect_ms = 0;
  AgentSample first_agent;
  TimedRun first_bare;
  std::vector<AgentSample> nochange_agent;
  std::vector<TimedRun> nochange_bare;
};

void PrintReport(const Measurements& m, std::ostream& out);

}  // namespace guestbackup::bench
