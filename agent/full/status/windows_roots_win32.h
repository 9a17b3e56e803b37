// The trusted roots of a Windows machine for the agent's OpenSSL, which knows no certificate
// store and finds no bundle file there: a webhook whose policy names no ca_file trusts what
// Windows trusts (the machine's "ROOT" store, enterprise roots from group policy included).
#pragma once

#include <openssl/ssl.h>

namespace guestbackup::status {

// Adds each certificate of the local machine's ROOT store to `context`'s trust store; returns
// how many were added.
int AddWindowsRootCertificates(SSL_CTX* context);

}  // namespace guestbackup::status
