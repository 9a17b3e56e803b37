#include "full/kopia/shadow_copy.h"

#include <optional>

namespace guestbackup::kopia {
namespace {

// kopia v0.23.1, snapshot/upload/upload_os_snapshot_windows.go and upload.go.
constexpr std::string_view kCreating = "creating volume shadow copy of ";
constexpr std::string_view kCreated = "new volume shadow copy id ";
constexpr std::string_view kAlreadyOne = "path is already a volume shadow copy";
constexpr std::string_view kIgnoredFailure = "OS file system snapshot failed (ignoring): ";

// The rest of `line` after `prefix`, when the line starts with it. Only a line's start: a file
// name (which any user may choose) appears inside kopia's lines, never at their start.
std::optional<std::string_view> After(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) return std::nullopt;
  return line.substr(prefix.size());
}

}  // namespace

std::string ShadowCopyModeFor(policy::SnapshotMode mode) {
  switch (mode) {
    case policy::SnapshotMode::kVss:
      return "always";
    case policy::SnapshotMode::kWhenAvailable:
      return "when-available";
    case policy::SnapshotMode::kNone:
      break;
  }
  return policy::kHasVolumeShadowCopies ? "never" : "";
}

void ShadowCopyReport::Observe(std::string_view line) {
  if (After(line, kCreating)) {
    tried = true;
  } else if (auto id = After(line, kCreated)) {
    tried = used = true;
    copy_id = std::string(*id);
  } else if (After(line, kAlreadyOne)) {
    tried = used = true;
  } else if (auto reason = After(line, kIgnoredFailure)) {
    // Also after a copy was made: kopia may fail to open it, and then reads the live files.
    tried = true;
    used = false;
    copy_id.clear();
    fell_back = std::string(*reason);
  }
}

}  // namespace guestbackup::kopia
