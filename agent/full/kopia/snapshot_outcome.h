// Classifies one `kopia snapshot create --json` run. kopia exits 1 both when nothing was
// saved and after saving a manifest with files that could not be read, so the manifest,
// not the exit code, decides between succeeded, partial and failed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "full/kopia/manifest.h"
#include "full/kopia/shadow_copy.h"
#include "lean/base/status.h"

namespace guestbackup::kopia {

enum class SnapshotResultKind { kSucceeded, kPartial, kFailed };

struct SnapshotOutcome {
  SnapshotResultKind kind = SnapshotResultKind::kFailed;
  std::optional<SnapshotManifest> manifest;  // set whenever kopia saved one
  Status error;                              // why it failed (kind == kFailed); ok otherwise
  ShadowCopyReport shadow_copy;              // what kopia said about a shadow copy
};

// `what` names the source for messages ("snapshot of /etc").
SnapshotOutcome ClassifySnapshot(std::string_view what, int exit_code, std::string_view stdout_text,
                                 std::string_view stderr_text);

// What a saved manifest alone says (incomplete -> failed, entries that failed -> partial); the
// same rules as ClassifySnapshot, for a manifest read back from the server.
SnapshotOutcome OutcomeOfManifest(std::string_view what, SnapshotManifest manifest);

}  // namespace guestbackup::kopia
