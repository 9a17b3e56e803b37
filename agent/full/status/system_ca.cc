// The first CA bundle file a distribution keeps (see system_ca.h).
#include "full/status/system_ca.h"

#include <array>
#include <cstdlib>
#include <filesystem>

namespace guestbackup::status {
namespace {

constexpr std::array<std::string_view, 6> kBundles = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu
    "/etc/pki/tls/certs/ca-bundle.crt",                   // RHEL, Fedora, CentOS
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7 and later, where it lives
    "/etc/ssl/ca-bundle.pem",                             // SLES, openSUSE
    "/var/lib/ca-certificates/ca-bundle.pem",             // SLES 12 and later, where it lives
    "/etc/ssl/cert.pem",                                  // Alpine, Arch
};

}  // namespace

const std::span<const std::string_view> kSystemCaBundles = kBundles;

std::string SystemCaBundle(std::span<const std::string_view> candidates) {
  if (const char* chosen = std::getenv("SSL_CERT_FILE"); chosen != nullptr && *chosen != '\0') {
    return "";
  }
  for (std::string_view candidate : candidates) {
    std::string path(candidate);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return "";
}

}  // namespace guestbackup::status
