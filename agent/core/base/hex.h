// Lowercase hex encoding and SHA-256 digests, as fingerprints and directory keys use them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace guestbackup {

std::string HexEncode(const unsigned char* data, std::size_t size);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace guestbackup
