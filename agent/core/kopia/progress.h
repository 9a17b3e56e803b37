// Reads kopia's `--progress` lines from stderr (cli/cli_progress.go in v0.23.1):
//   " / 1 hashing, 2 hashed (21.2 MB), 1 cached (6 B), uploaded 18.4 MB, estimated 30 MB (61.0%) 3s left"
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

// Splits a stream of stderr chunks at '\r' and '\n' and calls `on_progress` for each
// progress line and `on_line` for every other complete line.
class ProgressStream {
 public:
  ProgressStream(std::function<void(const SnapshotProgress&)> on_progress,
                 std::function<void(std::string_view)> on_line);
  void Feed(std::string_view chunk);
  void Finish();

 private:
  void Emit(std::string_view line);
  std::function<void(const SnapshotProgress&)> on_progress_;
  std::function<void(std::string_view)> on_line_;
  std::string pending_;
};

}  // namespace guestbackup::kopia
