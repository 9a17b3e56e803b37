// Reading files the agent does not trust to be small or well-behaved (policy, instance data,
// credential files, config-disk images): checked to be regular files before they are opened,
// opened non-blocking so a FIFO never hangs the caller, and read to at most a limit whatever
// st_size claims (/proc files report 0, a file may grow while read).
#pragma once

#include <cstddef>
#include <string>

#include "lean/base/status.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::platform {

// "4 MiB", "64 KiB", "100 bytes": how the limits are named in messages.
std::string ByteLimitText(std::size_t bytes);

// Reads `fd` to its end. More than `limit` bytes is kInvalidArgument "larger than <limit>"
// (at most one 16 KiB buffer past the limit is read to tell); a read error is kIo with errno's
// text. The messages name no file: the caller adds which one.
Result<std::string> ReadAtMost(int fd, std::size_t limit);

// What OpenUntrusted accepts: regular files only, or also block devices (a config disk).
enum class Accept { kRegularFile, kImage };

// Opens `path` read-only and non-blocking when it is what `accept` names, checked before the
// open (a character device is never opened) and after it (a FIFO renamed in between is refused
// too). kNotFound when missing (or a device without media), kPermissionDenied when not
// readable, kInvalidArgument "not a regular file (a FIFO)" / "not an image file or a block
// device (a FIFO)"; the messages name no file.
Result<process::UniqueFd> OpenUntrusted(const std::string& path,
                                        Accept accept = Accept::kRegularFile);

// OpenUntrusted, then ReadAtMost; a file whose st_size is over the limit is refused unread.
Result<std::string> ReadRegularFile(const std::string& path, std::size_t limit);

// "a FIFO", "a directory", "a block device", ... for a st_mode that is not a regular file.
std::string FileTypeText(unsigned mode);

}  // namespace guestbackup::platform
