#include "full/restore/restorer.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

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

// Where a restored copy goes: the final path, and the staging directory beside it that kopia
// writes into first.
struct Destination {
  std::string final_path;
  bool exists = false;  // before the restore began
  std::unique_ptr<StagingDir> staging;
  std::string staged;  // inside staging: what kopia writes
};

// `relative`: the path inside the source as the snapshot spells it (its last name is the
// restored copy's).
Result<Destination> PrepareDestination(const RestoreRequest& request, const std::string& asked_path,
                                       const std::string& relative) {
  const fs::path asked(asked_path);
  const std::string name = !relative.empty()      ? fs::path(relative).filename().string()
                           : asked.has_filename() ? asked.filename().string()
                                                  : "root";
  const fs::path final_path = request.to_dir.empty() ? asked : fs::path(request.to_dir) / name;
  Destination d;
  d.final_path = final_path.string();
  std::error_code ec;
  d.exists = fs::symlink_status(final_path, ec).type() != fs::file_type::not_found;
  if (d.exists && !request.overwrite) {
    return InvalidArgument(d.final_path + " already exists; pass --overwrite to replace " +
                           "it, or --to DIR to restore beside it");
  }
  fs::create_directories(final_path.parent_path(), ec);
  if (ec)
    return IoError("cannot create " + final_path.parent_path().string() + ": " + ec.message());
  // Stage in the destination's directory so the final rename stays on one filesystem.
  if (!request.state_dir.empty()) RemoveStaleStaging(request.state_dir);
  auto staging = StagingDir::Create(final_path.parent_path().string(), request.state_dir);
  if (!staging.ok()) return staging.status();
  d.staging = std::move(staging).value();
  d.staged = d.staging->path() + "/" + name;
  return d;
}

// A restore started before the listing has confirmed its snapshot, on a thread of its own:
// kopia's login (a password check on the server, one at a time) then overlaps the listing's
// instead of following it. Abandoned (its kopia stopped, the thread joined) unless Finish()
// is called; the caller removes what it wrote.
class SpeculativeRestore {
 public:
  SpeculativeRestore(kopia::KopiaClient& client, std::string object, std::string target,
                     kopia::RestoreRequest request) {
    request.stop = &stop_;
    thread_ = std::thread(
        [this, &client, object = std::move(object), target = std::move(target),
         request = std::move(request)] { status_ = client.Restore(object, target, request); });
  }
  ~SpeculativeRestore() { Abandon(); }
  SpeculativeRestore(const SpeculativeRestore&) = delete;
  SpeculativeRestore& operator=(const SpeculativeRestore&) = delete;

  Status Finish() {
    thread_.join();
    return status_;
  }
  void Abandon() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  Status status_;
  std::thread thread_;
};

}  // namespace

Result<RestoreResult> RestorePath(kopia::KopiaClient& client, const policy::Policy& policy,
                                  const RestoreRequest& request) {
  auto covered = ResolveCoveredPath(policy, request.path);
  if (!covered.ok()) return covered.status();
  kopia::RestoreRequest kopia_request;
  kopia_request.on_progress = request.on_progress;
  if (const policy::JobSpec* job = policy.FindJob(covered->job)) {
    kopia_request.stall = kopia::StallLimit::Of(*job);
  }

  // Where names ignore case, the restored copy's name is the snapshot's spelling of it, known
  // once the snapshot is: nothing is restored before the listing there.
  std::optional<std::string> expected = request.snapshot_id;
  if (!expected && request.expected_snapshot) expected = request.expected_snapshot(*covered);
  std::optional<Destination> destination;
  std::optional<SpeculativeRestore> speculative;
  if (expected && !policy::kNamesIgnoreCase) {
    auto prepared = PrepareDestination(request, covered->path, covered->relative);
    if (!prepared.ok()) return prepared.status();
    destination = std::move(prepared).value();
    const std::string object = ObjectPath(*expected, covered->relative);
    spdlog::debug("restore: restoring {} while the snapshots are listed (the snapshot expected)",
                  object);
    speculative.emplace(client, object, destination->staged, kopia_request);
  }

  auto snapshots = client.ListSnapshots(covered->source);
  Result<kopia::SnapshotManifest> snapshot =
      snapshots.ok() ? PickSnapshot(*snapshots, request.snapshot_id, request.at_ms, covered->source)
                     : Result<kopia::SnapshotManifest>(snapshots.status());
  std::optional<Status> restored;
  if (speculative) {
    if (snapshot.ok() && snapshot->id == *expected) {
      restored = speculative->Finish();
    } else {
      if (snapshot.ok()) {
        spdlog::debug("restore: the listing picked {}, not {}: restoring that instead",
                      snapshot->id, *expected);
      }
      speculative->Abandon();
      std::error_code ec;
      fs::remove_all(destination->staged, ec);
    }
  }
  if (!snapshot.ok()) return snapshot.status();

  RestoreResult result;
  result.covered = *covered;
  result.covered.relative = SnapshotSpelling(client, *snapshot, covered->relative);
  result.snapshot = *snapshot;
  if (!destination) {
    auto prepared = PrepareDestination(request, covered->path, result.covered.relative);
    if (!prepared.ok()) return prepared.status();
    destination = std::move(prepared).value();
  }
  result.restored_to = destination->final_path;
  if (!restored) {
    restored = client.Restore(ObjectPath(*snapshot, result.covered.relative), destination->staged,
                              kopia_request);
  }
  if (!restored->ok()) {
    if (IsMissingFromSnapshot(*restored)) {
      return NotFound(covered->path + " is not in snapshot " + snapshot->id + " (taken " +
                      FormatLocalTime(snapshot->start_ms) + ")");
    }
    return *restored;
  }
  std::error_code ec;
  if (fs::symlink_status(destination->staged, ec).type() == fs::file_type::not_found) {
    return NotFound(covered->path + " is not in snapshot " + snapshot->id);
  }
  GB_RETURN_IF_ERROR(MoveIntoPlace(destination->staged, result.restored_to, destination->exists,
                                   request.overwrite));
  result.replaced_existing = destination->exists;
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
