// SHA-256 (FIPS 180-4) in plain C++, and lowercase hex: certificate fingerprints, connection
// directory keys and the schedule's jitter all use this one implementation, without libcrypto,
// so the lean daemon can hash too. Tested against OpenSSL's at every length up to 300 bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace guestbackup {

std::array<std::uint8_t, 32> Sha256(std::string_view bytes);

// Lowercase hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

std::string HexEncode(const unsigned char* data, std::size_t size);

}  // namespace guestbackup
