// Which file a path names right now, as a number that changes when the file is replaced by
// another (renamed over, deleted and created again): the inode on Linux, the volume serial
// number and file index on Windows. 0 when there is no file.
#pragma once

#include <cstdint>
#include <string>

namespace guestbackup::platform {

std::uint64_t FileIdentity(const std::string& path);

}  // namespace guestbackup::platform
