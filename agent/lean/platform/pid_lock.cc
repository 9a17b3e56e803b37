// See pid_lock.h.
#include "lean/platform/pid_lock.h"

#include <filesystem>
#include <system_error>

#include "lean/platform/process_identity.h"

namespace guestbackup::platform {
namespace {

constexpr std::size_t kMaxHolderText = 32;

Status HeldBy(const std::string& what, std::string holder_text) {
  while (!holder_text.empty() && (holder_text.back() == '\n' || holder_text.back() == ' ')) {
    holder_text.pop_back();
  }
  if (holder_text.size() > kMaxHolderText) holder_text.clear();
  return AlreadyRunning(what + (holder_text.empty() ? "" : " (pid " + holder_text + ")"));
}

}  // namespace

Result<std::unique_ptr<PidLock>> PidLock::TryAcquire(const std::string& path,
                                                     const std::string& what) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create " + dir.string() + ": " + ec.message());
  Result<std::unique_ptr<LockedFile>> file =
      LockedFile::Open(path, LockedFile::Create::kIfMissing, LockedFile::Wait::kNo);
  if (!file.ok()) return file.status();
  if (*file == nullptr) return HeldBy(what, ReadLockedFileNote(path, kMaxHolderText));
  // Record the holder for the message another taker prints; the lock, not this text, is what
  // counts.
  (void)(*file)->Replace(std::to_string(CurrentProcessId()) + "\n");
  return std::unique_ptr<PidLock>(new PidLock(std::move(file).value()));
}

PidLock::~PidLock() = default;

}  // namespace guestbackup::platform
