// The fingerprint kopia pins: lowercase hex SHA-256 of the server certificate's DER bytes.
#pragma once

#include <cstdint>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::kopia {

// Reads the first certificate of a PEM file. kInvalidArgument when it holds none.
Result<std::string> CertificateFingerprintFromPemFile(const std::string& path);

// Connects to host:port over TLS, verifies the server's certificate against the CA bundle
// `ca_file` and `host` (as kopia does when it trusts a CA), and returns that certificate's
// fingerprint, so that a connection which cannot check the name (one through the bandwidth
// relay) can pin the certificate just verified. kUnavailable when it cannot connect or the
// certificate does not verify.
Result<std::string> VerifiedServerFingerprint(const std::string& host, std::uint16_t port,
                                              const std::string& ca_file);

}  // namespace guestbackup::kopia
