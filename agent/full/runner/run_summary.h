// Adds up one run: the snapshots of each path, the failures, the figures; decides the run's
// status (interrupted > failed > partial > succeeded) and the one-line history message.
#pragma once

#include <string>
#include <vector>

#include "full/history/history.h"
#include "full/kopia/snapshot_outcome.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::runner {

class RunSummary {
 public:
  explicit RunSummary(const policy::JobSpec& job)
      : job_(job.name), shadow_copy_asked_(job.snapshot != policy::SnapshotMode::kNone) {}

  void AddSnapshot(const std::string& path, const kopia::SnapshotOutcome& outcome);
  void Fail(const Status& failure);
  // Kopia commands repeated because the server was unreachable (retry.h): the message says
  // "retried N times".
  void Retried(int retries) { retries_ += retries; }

  contract::RunStatus CurrentStatus() const;
  // Ok when succeeded; otherwise a Status whose code maps to the exit code.
  Status FinalStatus() const;
  // The history row's final fields. `message` replaces the generated one when not empty.
  history::RunOutcome Finish(contract::RunStatus status, const std::string& message) const;

  const std::vector<std::string>& snapshot_ids() const { return snapshot_ids_; }

 private:
  std::string Message() const;

  std::string job_;
  std::vector<std::string> snapshot_ids_;
  std::vector<Status> failures_;
  std::vector<Status> warnings_;  // a saved snapshot's non-fatal problems
  std::vector<history::FileError> file_errors_;
  bool partial_ = false;
  std::int64_t files_ = 0;
  std::int64_t bytes_ = 0;
  std::int64_t errors_ = 0;
  bool shadow_copy_asked_ = false;  // the job's `snapshot:` is not `none`
  int snapshots_ = 0;               // snapshots kopia was asked for
  int shadow_copies_used_ = 0;      // ... whose files it read from a shadow copy
  int retries_ = 0;
};

// "1.5 MB" style sizes for messages.
std::string HumanBytes(std::int64_t bytes);
// "1 file", "3 files".
std::string CountOf(std::int64_t n, const std::string& noun);

}  // namespace guestbackup::runner
