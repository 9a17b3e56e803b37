#include "full/restore/restorer.h"

#include <algorithm>
#include <filesystem>

#include "full/restore/staging.h"
#include "lean/base/time_format.h"
#include "lean/platform/careful_rename.h"
#include "lean/policy/local_path.h"

namespace guestbackup::restore {

namespace fs = std::filesystem;

namespace {

// Where the system ignores the case of names (Windows), `restore c:\DATA\NOTES.TXT` means the
// C:\data\notes.txt the snapshot holds: each part of `relative` is looked up in the snapshot's
// directory as the system compares names, an exact match first. What is not found stays as it
// was asked, and the restore then reports it missing.
std::string SnapshotSpelling(kopia::KopiaClient& client, const kopia::SnapshotManifest& snapshot,
                             const std::string& relative) {
  if (!policy::kNamesIgnoreCase || relative.empty()) return relative;
  std::string spelled;
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t slash = std::min(relative.find('/', start), relative.size());
    const std::string part = relative.substr(start, slash - start);
    const std::string rest = slash < relative.size() ? relative.substr(slash) : "";
    auto entries = client.ListDirectory(ObjectPath(snapshot, spelled));
    if (!entries.ok()) return spelled.empty() ? relative : spelled + "/" + part + rest;
    const kopia::DirEntry* found = nullptr;
    for (const kopia::DirEntry& entry : *entries) {
      if (entry.name == part) {
        found = &entry;
        break;
      }
      if (found == nullptr && policy::SameEntryName(entry.name, part)) found = &entry;
    }
    const std::string name = found != nullptr ? found->name : part;
    spelled = spelled.empty() ? name : spelled + "/" + name;
    if (found == nullptr) return spelled + rest;
    start = slash + 1;
  }
  return spelled;
}

}  // namespace

Result<RestoreResult> RestorePath(kopia::KopiaClient& client, const policy::Policy& policy,
                                  const RestoreRequest& request) {
  auto covered = ResolveCoveredPath(policy, request.path);
  if (!covered.ok()) return covered.status();
  auto snapshots = client.ListSnapshots(covered->source);
  if (!snapshots.ok()) return snapshots.status();
  auto snapshot = PickSnapshot(*snapshots, request.snapshot_id, request.at_ms, covered->source);
  if (!snapshot.ok()) return snapshot.status();

  RestoreResult result;
  result.covered = *covered;
  result.covered.relative = SnapshotSpelling(client, *snapshot, covered->relative);
  result.snapshot = *snapshot;
  const fs::path asked(covered->path);
  // The restored copy takes the snapshot's spelling of its name.
  const std::string name = !result.covered.relative.empty()
                               ? fs::path(result.covered.relative).filename().string()
                           : asked.has_filename() ? asked.filename().string()
                                                  : "root";
  fs::path final_path = request.to_dir.empty() ? asked : fs::path(request.to_dir) / name;
  result.restored_to = final_path.string();

  std::error_code ec;
  const bool exists = fs::symlink_status(final_path, ec).type() != fs::file_type::not_found;
  if (exists && !request.overwrite) {
    return InvalidArgument(result.restored_to + " already exists; pass --overwrite to replace " +
                           "it, or --to DIR to restore beside it");
  }
  fs::create_directories(final_path.parent_path(), ec);
  if (ec)
    return IoError("cannot create " + final_path.parent_path().string() + ": " + ec.message());

  // Stage in the destination's directory so the final rename stays on one filesystem.
  if (!request.state_dir.empty()) RemoveStaleStaging(request.state_dir);
  auto staging = StagingDir::Create(final_path.parent_path().string(), request.state_dir);
  if (!staging.ok()) return staging.status();
  const std::string staged = (*staging)->path() + "/" + name;
  const std::string object = ObjectPath(*snapshot, result.covered.relative);
  kopia::RestoreRequest kopia_request;
  kopia_request.on_progress = request.on_progress;
  if (const policy::JobSpec* job = policy.FindJob(covered->job)) {
    kopia_request.stall = kopia::StallLimit::Of(*job);
  }
  if (Status s = client.Restore(object, staged, kopia_request); !s.ok()) {
    if (IsMissingFromSnapshot(s)) {
      return NotFound(covered->path + " is not in snapshot " + snapshot->id + " (taken " +
                      FormatLocalTime(snapshot->start_ms) + ")");
    }
    return s;
  }
  if (fs::symlink_status(staged, ec).type() == fs::file_type::not_found) {
    return NotFound(covered->path + " is not in snapshot " + snapshot->id);
  }
  GB_RETURN_IF_ERROR(MoveIntoPlace(staged, result.restored_to, exists, request.overwrite));
  result.replaced_existing = exists;
  return result;
}

Status MoveIntoPlace(const std::string& staged, const std::string& final_path, bool exists,
                     bool overwrite) {
  using platform::RenameError;
  const auto failed = [&final_path](const platform::RenameResult& result) {
    return IoError("cannot move the restored copy to " + final_path + ": " + result.reason);
  };
  if (overwrite) {
    if (exists) {
      const platform::RenameResult swapped = platform::Exchange(staged, final_path);
      if (swapped.ok()) return Status::Ok();
      if (swapped.error != RenameError::kMissing) {
        return IoError("cannot replace " + final_path + ": " + swapped.reason);
      }
    }
    // Not there (any more), or there only since the restore began: replacing is allowed.
    const platform::RenameResult moved = platform::MoveReplacing(staged, final_path);
    return moved.ok() ? Status::Ok() : failed(moved);
  }
  const platform::RenameResult moved = platform::MoveNoReplace(staged, final_path);
  if (moved.ok()) return Status::Ok();
  if (moved.error == RenameError::kTargetExists) {
    return InvalidArgument(final_path +
                           " appeared while restoring and was left as it is; pass --overwrite "
                           "to replace it, or --to DIR to restore beside it");
  }
  if (moved.error == RenameError::kUnsupported) {
    return IoError("cannot move the restored copy to " + final_path +
                   " without risking a replace (the filesystem has no RENAME_NOREPLACE); the "
                   "copy is at " +
                   staged + " until this command ends; use --to DIR");
  }
  return failed(moved);
}

}  // namespace guestbackup::restore
