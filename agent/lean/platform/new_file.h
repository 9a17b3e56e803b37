// Creating an empty file that did not exist, private from the start: mode 0600 on Linux
// (whatever the umask), its directory's ACL on Windows. For files another library then opens
// and fills (the history database: SQLite would create it with the umask's mode).
#pragma once

#include <string>

namespace guestbackup::platform {

// True when this call created the file; false when it existed or could not be made (the
// caller's own open then reports why).
bool CreateNewPrivateFile(const std::string& path);

}  // namespace guestbackup::platform
