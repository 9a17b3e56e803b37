#include "full/kopia/cert_fingerprint.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "lean/base/sha256.h"

namespace guestbackup::kopia {
namespace {

Result<std::string> FingerprintOf(const X509* cert, const std::string& what) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return Internal("cannot encode certificate " + what);
  std::string fingerprint(Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len))));
  OPENSSL_free(der);
  return fingerprint;
}

}  // namespace

Result<std::string> CertificateFingerprintFromPemFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!file) return IoError("cannot read certificate " + path);
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) return InvalidArgument(path + " holds no PEM certificate");
  return FingerprintOf(cert.get(), path);
}

Result<std::string> VerifiedServerFingerprint(const std::string& host, std::uint16_t port,
                                              const std::string& ca_file) {
  static const bool network_ready = (Poco::Net::initializeNetwork(), true);
  (void)network_ready;
  const std::string what =
      "verify the certificate of " + host + ":" + std::to_string(port) + " with " + ca_file;
  try {
    // VERIFY_STRICT: with RELAXED, Poco skips the host name check for "localhost" addresses.
    Poco::Net::Context::Ptr context(new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file, Poco::Net::Context::VERIFY_STRICT, 9,
        /*loadDefaultCAs=*/false));
    Poco::Net::SecureStreamSocket socket(context);
    socket.setPeerHostName(host);
    socket.connect(Poco::Net::SocketAddress(host, port), Poco::Timespan(30, 0));
    socket.completeHandshake();
    socket.verifyPeerCertificate(host);
    const Poco::Net::X509Certificate cert = socket.peerCertificate();
    Result<std::string> fingerprint = FingerprintOf(cert.certificate(), host);
    socket.close();
    return fingerprint;
  } catch (const Poco::Exception& e) {
    return Unavailable(what + ": " + e.displayText());
  }
}

}  // namespace guestbackup::kopia
