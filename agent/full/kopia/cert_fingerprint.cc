#include "full/kopia/cert_fingerprint.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "lean/base/sha256.h"

namespace guestbackup::kopia {

Result<std::string> CertificateFingerprintFromPemFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!file) return IoError("cannot read certificate " + path);
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) return InvalidArgument(path + " holds no PEM certificate");
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  if (len <= 0) return Internal("cannot encode certificate " + path);
  std::string fingerprint(Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len))));
  OPENSSL_free(der);
  return fingerprint;
}

}  // namespace guestbackup::kopia
