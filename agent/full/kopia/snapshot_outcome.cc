#include "full/kopia/snapshot_outcome.h"

#include <utility>

#include "full/kopia/kopia_errors.h"

namespace guestbackup::kopia {
namespace {

// With --json kopia prints one manifest object per source; we snapshot one source per call.
std::optional<SnapshotManifest> FindManifest(std::string_view stdout_text) {
  const auto start = stdout_text.find('{');
  if (start == std::string_view::npos) return std::nullopt;
  auto parsed = ParseManifest(stdout_text.substr(start));
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

}  // namespace

SnapshotOutcome ClassifySnapshot(std::string_view what, int exit_code, std::string_view stdout_text,
                                 std::string_view stderr_text) {
  SnapshotOutcome out;
  out.manifest = FindManifest(stdout_text);
  if (!out.manifest) {
    out.kind = SnapshotResultKind::kFailed;
    out.error = exit_code == 0
                    ? Failed(std::string(what) + ": kopia reported success but printed no manifest")
                    : ClassifyKopiaFailure(what, stderr_text);
    return out;
  }
  out = OutcomeOfManifest(what, std::move(out.manifest).value());
  if (out.kind != SnapshotResultKind::kSucceeded) return out;
  if (exit_code != 0) {
    // A manifest without failed entries but a non-zero exit: something after saving failed
    // (e.g. applying retention); the data is safe, so report the snapshot as partial.
    out.kind = SnapshotResultKind::kPartial;
    out.error = ClassifyKopiaFailure(what, stderr_text);
    return out;
  }
  return out;
}

SnapshotOutcome OutcomeOfManifest(std::string_view what, SnapshotManifest manifest) {
  SnapshotOutcome out;
  out.manifest = std::move(manifest);
  const SnapshotManifest& m = *out.manifest;
  if (!m.incomplete_reason.empty()) {
    out.kind = SnapshotResultKind::kFailed;
    out.error = Failed(std::string(what) + ": snapshot incomplete (" + m.incomplete_reason + ")");
  } else if (m.num_failed > 0 || m.error_count > 0 || !m.errors.empty()) {
    out.kind = SnapshotResultKind::kPartial;
  } else {
    out.kind = SnapshotResultKind::kSucceeded;
  }
  return out;
}

}  // namespace guestbackup::kopia
