// One kill -9 each, of `guestbackup run` or of `guestbackup restore --overwrite` in place, at a
// random moment, and what the next command finds: the run recorded as interrupted (never left
// running), the history database intact (PRAGMA integrity_check), no staging directory left
// beside a restored file, and the file itself whole.
#pragma once

#include <chrono>
#include <random>
#include <string>

#include "integration/agent_harness.h"

namespace guestbackup::bench {

struct TrialResult {
  bool clean = false;
  std::string where;    // when the kill landed: "before the run", "during", "after it ended"
  std::string problem;  // what was not clean
};

// The job `docs` over the agent's data directory, and a restore target in it whose content
// the caller knows.
class CrashTrials {
 public:
  CrashTrials(testing::Agent& agent, std::string restored_file, std::string restored_content);

  // Each command uncut, as the trials run it: how long a kill may be put off.
  void Measure();
  TrialResult KillRun(std::mt19937_64& rng);
  TrialResult KillRestore(std::mt19937_64& rng);
  std::chrono::milliseconds run_time() const { return run_time_; }
  std::chrono::milliseconds restore_time() const { return restore_time_; }

 private:
  std::string IntegrityOfHistory() const;

  testing::Agent& agent_;
  std::string restored_file_;
  std::string restored_content_;
  std::chrono::milliseconds run_time_{0};
  std::chrono::milliseconds restore_time_{0};
};

}  // namespace guestbackup::bench
