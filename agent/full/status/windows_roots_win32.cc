// See windows_roots_win32.h: the store read through CryptoAPI, each certificate handed to
// OpenSSL in its DER encoding.
#include <windows.h>
// After windows.h, which wincrypt.h needs.
#include <wincrypt.h>

#include "full/status/windows_roots_win32.h"

namespace guestbackup::status {

int AddWindowsRootCertificates(SSL_CTX* context) {
  HCERTSTORE store =
      CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                    CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_READONLY_FLAG, L"ROOT");
  if (store == nullptr) return 0;
  X509_STORE* trusted = SSL_CTX_get_cert_store(context);
  int added = 0;
  for (PCCERT_CONTEXT cert = CertEnumCertificatesInStore(store, nullptr); cert != nullptr;
       cert = CertEnumCertificatesInStore(store, cert)) {
    const unsigned char* der = cert->pbCertEncoded;
    X509* x509 = d2i_X509(nullptr, &der, static_cast<long>(cert->cbCertEncoded));
    if (x509 == nullptr) continue;
    if (X509_STORE_add_cert(trusted, x509) == 1) ++added;
    X509_free(x509);
  }
  CertCloseStore(store, 0);
  return added;
}

}  // namespace guestbackup::status
