// A history file SQLite calls damaged is moved aside, never deleted, so backups go on with a
// new history while the old file stays for whoever investigates (as journald does with a
// corrupt journal). Private to the history area.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::history {

// The identity of the file at `path` now (0 when there is none), to tell later whether
// another process has already replaced it.
ino_t FileIdentity(const std::string& path);

// Renames `path` (and its -wal file) to "<path>.damaged-<UTC time>" (with -2, -3 … when that
// name is taken) and removes its -shm file, unless the file at `path` is no longer `damaged`
// (another process moved it first). Serialised with other processes by a lock file beside it.
// Returns the new name, or "" when there was nothing to move.
Result<std::string> MoveDamagedAside(const std::string& path, ino_t damaged, std::int64_t now_ms);

}  // namespace guestbackup::history
