// Reads kopia's `--progress` lines from stderr (cli/cli_progress.go in v0.23.1):
//   " / 1 hashing, 2 hashed (21.2 MB), 1 cached (6 B), uploaded 18.4 MB, estimated 30 MB (61.0%) 3s
//   left"
// so the agent can show its own progress line (files, bytes, rate, ETA).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace guestbackup::kopia {

struct SnapshotProgress {
  std::int64_t hashed_files = 0;
  std::int64_t hashed_bytes = 0;
  std::int64_t cached_files = 0;
  std::int64_t cached_bytes = 0;
  std::int64_t uploaded_bytes = 0;
  std::int64_t estimated_bytes = -1;  // -1 while kopia is still estimating
  double percent = -1;
  std::string remaining;  // kopia's own "3s left" figure, "" when unknown
};

// Parses one progress line; nullopt for any other line.
std::optional<SnapshotProgress> ParseProgressLine(std::string_view line);

// Parses "21.2 MB", "6 B", "1.5 GiB" into bytes; -1 when it is not a size.
std::int64_t ParseByteSize(std::string_view text);

// kopia's restore progress (cli/restore_progress.go in v0.23.1):
//   "Processed 3 (20 MB) of 5 (30 MB), 12 MB/s (66.7%) remaining 1s."
struct RestoreProgress {
  std::int64_t done_files = 0;
  std::int64_t done_bytes = 0;
  std::int64_t total_files = 0;
  std::int64_t total_bytes = 0;
  double percent = -1;    // -1 until kopia estimates
  std::string remaining;  // "" until kopia estimates
};

std::optional<RestoreProgress> ParseRestoreProgressLine(std::string_view line);

// Splits a stream of stderr chunks into lines at '\r' and '\n' (kopia rewrites its progress
// line with '\r') and calls `on_line` for each non-blank one.
class LineSplitter {
 public:
  explicit LineSplitter(std::function<void(std::string_view)> on_line);
  void Feed(std::string_view chunk);
  void Finish();

 private:
  void Emit(std::string_view line);
  std::function<void(std::string_view)> on_line_;
  std::string pending_;
};

}  // namespace guestbackup::kopia
