// The temporary directory a restore writes into, beside its destination (so the final rename
// stays on one filesystem). A restore killed with SIGKILL cannot remove it, so each one is
// recorded in the state directory under a lock its process holds: a record whose lock can be
// taken belongs to a dead process, and the next restore or run removes its directory.
#pragma once

#include <memory>
#include <string>

#include "lean/base/status.h"
#include "lean/platform/locked_file.h"

namespace guestbackup::restore {

// Every staging directory's name starts with this; snapshots exclude it (kopia ignore rule
// kStagingIgnoreRule), and stale-directory cleanup refuses to remove anything else.
inline constexpr const char* kStagingPrefix = ".guestbackup-restore-";
inline constexpr const char* kStagingIgnoreRule = ".guestbackup-restore-*";

class StagingDir {
 public:
  // Creates `<parent>/.guestbackup-restore-XXXXXX` and its record in
  // `<state_dir>/restore-staging/`, locked until the StagingDir is destroyed.
  static Result<std::unique_ptr<StagingDir>> Create(const std::string& parent,
                                                    const std::string& state_dir);
  ~StagingDir();  // removes the directory and its record
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  StagingDir(std::string path, std::unique_ptr<platform::LockedFile> record)
      : path_(std::move(path)), record_(std::move(record)) {}
  std::string path_;
  std::unique_ptr<platform::LockedFile> record_;
};

// Removes the staging directories of restores that died (their record's lock is free) and
// their records; returns how many directories were removed. Errors are left for the next call.
int RemoveStaleStaging(const std::string& state_dir);

}  // namespace guestbackup::restore
