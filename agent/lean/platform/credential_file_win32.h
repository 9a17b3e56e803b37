// The DACL rule of credential_file.h on Windows, on its own so that tests can give it any
// access control list (wine keeps no DACL a program sets on a file; it derives one from the
// Unix mode, always with Everyone allowed to read).
#pragma once

#include <windows.h>

#include <string>

#include "lean/base/status.h"

namespace guestbackup::platform {

// Ok when no allowed entry of `dacl` that applies to the file itself gives a trustee other
// than SYSTEM, Administrators or `self` (the user running guestbackup; may be null) a right
// to read the file or to change who may (WRITE_DAC, WRITE_OWNER). A null DACL, which lets
// everyone in, is refused; so is an entry of a kind this does not evaluate. The refusal names
// `path`, the trustee and the icacls command that fixes it.
Status CheckCredentialDacl(const std::string& path, PACL dacl, PSID self);

}  // namespace guestbackup::platform
