// The checks of the policy's `server.*` values, for values that come from elsewhere (command-line
// flags, a KubeVirt config disk, cloud-init): discovery validates them exactly as the policy
// file's own, so the same value gets the same message wherever it was written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace guestbackup::policy {

// `key` names a key of the policy's `server` mapping ("url", "fingerprint", "username",
// "hostname", "ca_file", "password_file", "service"). Returns what is wrong with `value`, e.g.
// "expected 64 hex digits (SHA-256), got 12", or nullopt when it is valid.
std::optional<std::string> CheckServerValue(std::string_view key, std::string_view value);

// A valid fingerprint in kopia's form: lowercase hex without ":" separators.
std::string NormalizeServerFingerprint(std::string_view fingerprint);

}  // namespace guestbackup::policy
