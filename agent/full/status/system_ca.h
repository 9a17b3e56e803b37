// The guest's own CA bundle, for a webhook whose policy names no ca_file. The agent's OpenSSL
// is linked in (the portable build) with its directory at /etc/ssl, whose default paths find
// the hashed /etc/ssl/certs of Debian, Ubuntu and SUSE but nothing on RHEL and Fedora, which
// keep a bundle file under /etc/pki instead. So the bundle files each family keeps are tried
// in turn, next to OpenSSL's defaults.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace guestbackup::status {

// Where distributions keep their CA bundle, most common first.
extern const std::span<const std::string_view> kSystemCaBundles;

// The first of `candidates` that is a regular file (after symbolic links), or "" when none
// is, or when $SSL_CERT_FILE is set: then OpenSSL's defaults read that file alone, as the
// one who set it asked.
std::string SystemCaBundle(std::span<const std::string_view> candidates = kSystemCaBundles);

}  // namespace guestbackup::status
