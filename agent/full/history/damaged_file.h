// A history file SQLite calls damaged is moved aside, never deleted, so backups go on with a
// new history while the old file stays for whoever investigates (as journald does with a
// corrupt journal). Private to the history area.
#pragma once

#include <cstdint>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::history {

// Renames `path` (and its -wal file) to "<path>.damaged-<UTC time>" (with -2, -3 … when that
// name is taken) and removes its -shm file, unless the file at `path` is no longer `damaged` (a
// platform::FileIdentity) (another process moved it first). Serialised with other processes by a
// lock file beside it. Returns the new name, or "" when there was nothing to move.
Result<std::string> MoveDamagedAside(const std::string& path, std::uint64_t damaged,
                                     std::int64_t now_ms);

}  // namespace guestbackup::history
