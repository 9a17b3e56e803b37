// The fingerprint kopia pins: lowercase hex SHA-256 of the server certificate's DER bytes.
#pragma once

#include <string>

#include "lean/base/status.h"

namespace guestbackup::kopia {

// Reads the first certificate of a PEM file. kInvalidArgument when it holds none.
Result<std::string> CertificateFingerprintFromPemFile(const std::string& path);

}  // namespace guestbackup::kopia
