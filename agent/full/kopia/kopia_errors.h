// Turns what a failed kopia command printed into a Status a person can act on. Connection,
// TLS-pinning and authentication failures become kUnavailable (exit code 5).
#pragma once

#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::kopia {

// `what` names the operation ("connect to https://h:51515 as web01@prod-vms").
// `stderr_text` is kopia's stderr (tail). Never returns ok.
Status ClassifyKopiaFailure(std::string_view what, std::string_view err);

// True for a failure ClassifyKopiaFailure (or a command's own time limit) called "server
// unreachable": no connection, a reset, a timeout. Waiting may fix it, unlike a refused
// password or certificate.
bool IsServerUnreachable(const Status& failure);

// "server unreachable": the words that mark such a failure in its message.
inline constexpr std::string_view kServerUnreachable = "server unreachable";

// The last non-empty line of kopia's stderr with kopia's wrapping noise removed.
std::string LastErrorLine(std::string_view stderr_text);

}  // namespace guestbackup::kopia
