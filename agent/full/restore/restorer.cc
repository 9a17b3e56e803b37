#include "full/restore/restorer.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cstdio>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "full/restore/staging.h"
#include "lean/base/time_format.h"

namespace guestbackup::restore {
namespace {

namespace fs = std::filesystem;

// renameat2(2), which glibc 2.28 does not wrap: RENAME_EXCHANGE swaps two existing paths,
// RENAME_NOREPLACE moves only when the target does not exist — each in one step.
int Renameat2(const std::string& from, const std::string& to, unsigned flags) {
  return static_cast<int>(
      syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags));
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
  result.snapshot = *snapshot;
  const fs::path asked(covered->path);
  const std::string name = asked.has_filename() ? asked.filename().string() : "root";
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
  const std::string object = ObjectPath(*snapshot, covered->relative);
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
  const auto failed = [&final_path](int error) {
    return IoError("cannot move the restored copy to " + final_path + ": " + std::strerror(error));
  };
  if (overwrite) {
    if (exists && Renameat2(staged, final_path, RENAME_EXCHANGE) == 0) return Status::Ok();
    if (exists && errno != ENOENT) {
      return IoError("cannot replace " + final_path + ": " + std::strerror(errno));
    }
    // Not there (any more), or there only since the restore began: replacing is allowed.
    return ::rename(staged.c_str(), final_path.c_str()) == 0 ? Status::Ok() : failed(errno);
  }
  if (Renameat2(staged, final_path, RENAME_NOREPLACE) == 0) return Status::Ok();
  if (errno == EEXIST) {
    return InvalidArgument(final_path +
                           " appeared while restoring and was left as it is; pass --overwrite "
                           "to replace it, or --to DIR to restore beside it");
  }
  if (errno == EINVAL) {  // a filesystem without RENAME_NOREPLACE (some network filesystems)
    return IoError("cannot move the restored copy to " + final_path +
                   " without risking a replace (the filesystem has no RENAME_NOREPLACE); the "
                   "copy is at " +
                   staged + " until this command ends; use --to DIR");
  }
  return failed(errno);
}

}  // namespace guestbackup::restore
