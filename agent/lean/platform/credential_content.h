// What ReadCredentialFile does once a file passed its platform's checks, the same on Linux and
// Windows: read to a limit, strip one trailing line break, refuse an empty secret.
#pragma once

#include <cstddef>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::platform {

// A secret larger than this is certainly the wrong file.
inline constexpr std::size_t kMaxCredentialBytes = std::size_t{64} * 1024;

// Reads the opened credential file `fd` (named `path` in messages) to at most
// kMaxCredentialBytes and strips one trailing "\n" or "\r\n". kInvalidArgument when it is
// larger or the secret is empty.
Result<std::string> ReadCredentialContent(const std::string& path, int fd);

}  // namespace guestbackup::platform
