// Process-wide registry of secret values; Mask() replaces each with "********".
// Every log line and every logged command line passes through it. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace guestbackup {

// Registers `secret` (ignored when shorter than 4 bytes, which would mask too much). The first
// registration also keeps the process, and the children it starts, from dumping core.
void RegisterSecret(std::string_view secret);
// Returns `text` with every registered secret replaced by "********".
std::string MaskSecrets(std::string_view text);
// For tests: forget every registered secret.
void ClearSecretsForTesting();

}  // namespace guestbackup
