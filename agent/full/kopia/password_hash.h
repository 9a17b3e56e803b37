// Kopia's server user password hash (internal/user in v0.23.1): base64 of the JSON
// {"passwordHashVersion":1,"passwordHash":base64(salt[32] || scrypt(N=65536,r=8,p=1)[32])}.
// Lets the agent add a server user without putting a password in any argv.
#pragma once

#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::kopia {

// A hash for `kopia server user add --user-password-hash`, with a random salt.
Result<std::string> HashUserPassword(std::string_view password);

// Same, with a given 32-byte salt (for tests).
Result<std::string> HashUserPasswordWithSalt(std::string_view password, std::string_view salt);

}  // namespace guestbackup::kopia
