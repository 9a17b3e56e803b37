// See staging.h: staging directories, their locked records, and cleanup after a crash.
#include "full/restore/staging.h"

#include <filesystem>

#include "lean/platform/unique_directory.h"

namespace guestbackup::restore {
namespace {

namespace fs = std::filesystem;
using platform::LockedFile;

std::string RecordDir(const std::string& state_dir) { return state_dir + "/restore-staging"; }

// The longest path a record may hold: PATH_MAX.
constexpr std::size_t kMaxRecordBytes = 4096;

}  // namespace

Result<std::unique_ptr<StagingDir>> StagingDir::Create(const std::string& parent,
                                                       const std::string& state_dir) {
  std::error_code ec;
  fs::create_directories(RecordDir(state_dir), ec);
  if (ec) return IoError("cannot create " + RecordDir(state_dir) + ": " + ec.message());
  Result<std::string> path = platform::CreateUniqueDirectory(parent + "/" + kStagingPrefix);
  if (!path.ok()) return path.status();
  const std::string record_path = RecordDir(state_dir) + "/" + fs::path(*path).filename().string();
  auto record =
      LockedFile::Open(record_path, LockedFile::Create::kIfMissing, LockedFile::Wait::kNo);
  Status recorded = record.ok() ? Status::Ok() : record.status();
  if (recorded.ok() && *record == nullptr) {
    recorded = IoError(record_path + " is locked by another process");
  }
  if (recorded.ok()) recorded = (*record)->Replace(*path);
  if (!recorded.ok()) {
    fs::remove_all(*path, ec);
    return recorded.WithContext("cannot record the staging directory");
  }
  return std::unique_ptr<StagingDir>(new StagingDir(*path, std::move(record).value()));
}

StagingDir::~StagingDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  record_->Remove();
}

int RemoveStaleStaging(const std::string& state_dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(RecordDir(state_dir), ec)) {
    auto record =
        LockedFile::Open(entry.path().string(), LockedFile::Create::kNever, LockedFile::Wait::kNo);
    if (!record.ok() || *record == nullptr) continue;  // gone, or its restore still runs
    Result<std::string> staged = (*record)->Read(kMaxRecordBytes);
    // Only ever a staging directory: a record edited to name anything else is just dropped.
    if (staged.ok() && fs::path(*staged).is_absolute() &&
        fs::path(*staged).filename().string().starts_with(kStagingPrefix) &&
        fs::is_directory(fs::symlink_status(*staged, ec))) {
      fs::remove_all(*staged, ec);
      if (!ec) ++removed;
    }
    (*record)->Remove();
  }
  return removed;
}

}  // namespace guestbackup::restore
