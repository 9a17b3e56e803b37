// What finding a config disk and guarding its password depend on the system for, private to
// the discovery area: config_disk_linux.cc and config_disk_win32.cc implement it (with
// FindDisksBySerial of config_disk.h); config_disk.cc does the rest the same everywhere.
#pragma once

#include <string>
#include <string_view>

#include "full/discovery/config_disk.h"

namespace guestbackup::discovery {

// Why a password read from the disk or image at `path` is refused because others could read
// it too, as "refused: ..." with the fix; "" when only the system's administrators can.
std::string PasswordExposure(const std::string& path);

// `text` without leading and trailing white space.
std::string TrimSpace(std::string_view text);

}  // namespace guestbackup::discovery
