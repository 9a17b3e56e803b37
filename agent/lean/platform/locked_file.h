// A file held open under an exclusive lock that the system drops when its holder's process
// ends, however it ends, so a lock can never outlive a crash: flock(2) on Linux; on Windows a
// LockFileEx lock of one byte far beyond the file's end (Windows locks are mandatory, and the
// content must stay readable to whoever finds the lock taken). The seam under PidLock, the
// restore's staging records and the history's move-aside of a damaged file.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::platform {

class LockedFile {
 public:
  enum class Wait { kNo, kYes };
  enum class Create { kIfMissing, kNever };

  // Opens `path` (creating it 0600, or on Windows with its directory's ACL, when `create`
  // says so) and locks it, waiting for the holder with Wait::kYes. With Wait::kNo a lock held
  // elsewhere gives nullptr, not an error. kNotFound when the file is missing and may not be
  // created; kIo with the path and the system's reason otherwise.
  static Result<std::unique_ptr<LockedFile>> Open(const std::string& path, Create create,
                                                  Wait wait);
  ~LockedFile();  // closes the file, which releases the lock
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;

  // Replaces the whole content with `text`.
  Status Replace(std::string_view text);
  // The content, at most `limit` bytes of it (kInvalidArgument when longer).
  Result<std::string> Read(std::size_t limit);
  // Removes the file while keeping the lock until this object goes: whoever opens the path
  // next gets a new file.
  void Remove();
  const std::string& path() const { return path_; }

 private:
  struct Handle;
  LockedFile(std::unique_ptr<Handle> handle, std::string path);
  std::unique_ptr<Handle> handle_;
  std::string path_;
};

// The content of a file whose lock someone else may hold (at most `limit` bytes; "" when it
// cannot be read): the holder's note for a refusal's message.
std::string ReadLockedFileNote(const std::string& path, std::size_t limit);

}  // namespace guestbackup::platform
