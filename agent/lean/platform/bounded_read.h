// Reading files the agent does not trust to be small or well-behaved (policy, instance data,
// credential files, config-disk images): checked to be regular files before they are opened,
// opened non-blocking so a FIFO never hangs the caller, and read to at most a limit whatever
// st_size claims (/proc files report 0, a file may grow while read).
#pragma once

#include <cstddef>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::platform {

// "4 MiB", "64 KiB", "100 bytes": how the limits are named in messages.
std::string ByteLimitText(std::size_t bytes);

// Reads `fd` to its end. More than `limit` bytes is kInvalidArgument "larger than <limit>"
// (at most one 16 KiB buffer past the limit is read to tell); a read error is kIo with errno's
// text. The messages name no file: the caller adds which one.
Result<std::string> ReadAtMost(int fd, std::size_t limit);

// Refuses anything but a regular file (stat before open: a device is never opened, and fstat
// after: a FIFO renamed in between is refused too), then ReadAtMost. kNotFound when missing,
// kPermissionDenied when not readable, kInvalidArgument "not a regular file (a FIFO)" etc.
Result<std::string> ReadRegularFile(const std::string& path, std::size_t limit);

// "a FIFO", "a directory", "a block device", ... for a st_mode that is not a regular file.
std::string FileTypeText(unsigned mode);

}  // namespace guestbackup::platform
