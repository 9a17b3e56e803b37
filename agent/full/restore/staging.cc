// See staging.h: staging directories, their locked records, and cleanup after a crash.
#include "full/restore/staging.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "lean/platform/bounded_read.h"

namespace guestbackup::restore {
namespace {

namespace fs = std::filesystem;

std::string RecordDir(const std::string& state_dir) { return state_dir + "/restore-staging"; }

// The longest path a record may hold: PATH_MAX.
constexpr std::size_t kMaxRecordBytes = 4096;

}  // namespace

Result<std::unique_ptr<StagingDir>> StagingDir::Create(const std::string& parent,
                                                       const std::string& state_dir) {
  std::error_code ec;
  fs::create_directories(RecordDir(state_dir), ec);
  if (ec) return IoError("cannot create " + RecordDir(state_dir) + ": " + ec.message());
  std::string path = parent + "/" + kStagingPrefix + "XXXXXX";
  if (mkdtemp(path.data()) == nullptr) {
    return IoError("cannot create a staging directory in " + parent + ": " + std::strerror(errno));
  }
  const std::string record = RecordDir(state_dir) + "/" + fs::path(path).filename().string();
  const int fd = open(record.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 ||
      write(fd, path.data(), path.size()) != static_cast<ssize_t>(path.size())) {
    const int error = errno;
    if (fd >= 0) close(fd);
    fs::remove_all(path, ec);
    return IoError("cannot record the staging directory in " + record + ": " +
                   std::strerror(error));
  }
  return std::unique_ptr<StagingDir>(new StagingDir(std::move(path), record, fd));
}

StagingDir::~StagingDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  unlink(record_.c_str());
  close(lock_fd_);
}

int RemoveStaleStaging(const std::string& state_dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(RecordDir(state_dir), ec)) {
    const std::string record = entry.path().string();
    const int fd = open(record.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {  // its restore still runs
      close(fd);
      continue;
    }
    Result<std::string> staged = platform::ReadAtMost(fd, kMaxRecordBytes);
    // Only ever a staging directory: a record edited to name anything else is just dropped.
    if (staged.ok() && fs::path(*staged).is_absolute() &&
        fs::path(*staged).filename().string().starts_with(kStagingPrefix) &&
        fs::is_directory(fs::symlink_status(*staged, ec))) {
      fs::remove_all(*staged, ec);
      if (!ec) ++removed;
    }
    unlink(record.c_str());
    close(fd);
  }
  return removed;
}

}  // namespace guestbackup::restore
