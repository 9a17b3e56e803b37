// SHA-256 (FIPS 180-4) in plain C++: the jitter hash without libcrypto, so the daemon's
// scheduler can be linked and kept resident without OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace guestbackup::schedule {

std::array<std::uint8_t, 32> Sha256(std::string_view bytes);

}  // namespace guestbackup::schedule
