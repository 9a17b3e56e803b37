// Renames that never lose what is at their target: moving only onto nothing, and swapping two
// paths, each reporting why it could not. The restore's last step (MoveIntoPlace) rests on them.
#pragma once

#include <string>

namespace guestbackup::platform {

enum class RenameError {
  kNone,
  kTargetExists,  // MoveNoReplace: something is at the target
  kMissing,       // Exchange: one of the two paths is not there
  kUnsupported,   // the filesystem cannot do it in one step (some network filesystems)
  kOther,         // anything else; `reason` says what
};

struct RenameResult {
  RenameError error = RenameError::kNone;
  std::string reason;  // the system's text for the error
  bool ok() const { return error == RenameError::kNone; }
};

// Moves `from` to `to` only when nothing is at `to`, in one step: renameat2(RENAME_NOREPLACE)
// on Linux, MoveFileExW without MOVEFILE_REPLACE_EXISTING on Windows.
RenameResult MoveNoReplace(const std::string& from, const std::string& to);

// Swaps two existing paths, so `a` then holds what was at `b`. One step on Linux
// (renameat2(RENAME_EXCHANGE)). Windows has no such call: `b` is renamed to a temporary name
// beside `a`, `a` to `b`, the temporary to `a`; a failure in between moves `b` back, so `b` is
// missing only for the moment between two renames, never lost.
RenameResult Exchange(const std::string& a, const std::string& b);

// Moves `from` to `to`, replacing a file at `to` (rename(2); MoveFileExW with
// MOVEFILE_REPLACE_EXISTING).
RenameResult MoveReplacing(const std::string& from, const std::string& to);

}  // namespace guestbackup::platform
