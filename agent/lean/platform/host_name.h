// This machine's host name: gethostname(2) on Linux, the DNS host name of the computer
// (GetComputerNameExW) on Windows. "" when the system gives none.
#pragma once

#include <string>

namespace guestbackup::platform {

std::string HostName();

}  // namespace guestbackup::platform
