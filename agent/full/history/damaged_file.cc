// See damaged_file.h.
#include "full/history/damaged_file.h"

#include <filesystem>

#include "lean/base/time_format.h"
#include "lean/platform/file_identity.h"
#include "lean/platform/locked_file.h"

namespace guestbackup::history {
namespace {

namespace fs = std::filesystem;

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

}  // namespace

Result<std::string> MoveDamagedAside(const std::string& path, std::uint64_t damaged,
                                     std::int64_t now_ms) {
  using platform::LockedFile;
  auto lock =
      LockedFile::Open(path + ".lock", LockedFile::Create::kIfMissing, LockedFile::Wait::kYes);
  if (!lock.ok()) return lock.status();
  if (damaged == 0 || platform::FileIdentity(path) != damaged) return std::string();
  const std::string base = path + ".damaged-" + FormatCompactUtc(now_ms);
  std::string aside = base;
  for (int n = 2; Exists(aside) || Exists(aside + "-wal"); ++n) {
    aside = base + "-" + std::to_string(n);
  }
  std::error_code ec;
  fs::rename(path, aside, ec);
  if (ec) return IoError("cannot move " + path + " aside to " + aside + ": " + ec.message());
  // The log belongs to the damaged file; the shared-memory index is rebuilt from a log.
  if (Exists(path + "-wal")) fs::rename(path + "-wal", aside + "-wal", ec);
  fs::remove(path + "-shm", ec);
  return aside;
}

}  // namespace guestbackup::history
