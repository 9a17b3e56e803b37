// One self-rewriting progress line on a terminal: files, bytes, rate and ETA. Silent when
// stderr is not a terminal, under systemd, or with --json.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "full/kopia/progress.h"

namespace guestbackup::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& err, bool json_output);
  bool enabled() const { return enabled_; }
  void Update(const std::string& path, const kopia::SnapshotProgress& progress);
  void Update(const std::string& path, const kopia::RestoreProgress& progress);
  // Clears the line (call before printing the result).
  void Finish();

  // The text of one progress line (exposed for tests).
  static std::string Format(const std::string& path, const kopia::SnapshotProgress& p,
                            double elapsed_seconds);
  static std::string Format(const std::string& path, const kopia::RestoreProgress& p,
                            double elapsed_seconds);

 private:
  void Show(std::string line);
  double Elapsed() const;

  std::ostream& err_;
  bool enabled_;
  std::size_t last_width_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace guestbackup::cli
