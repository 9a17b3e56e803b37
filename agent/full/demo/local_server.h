// A throwaway kopia repository server on loopback: a filesystem repository, ACLs enabled,
// the given users added, `kopia server start` with a generated TLS certificate on a free
// port. Used by `guestbackup demo` and by the integration tests; stopped on destruction.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "full/kopia/kopia_client.h"
#include "lean/base/status.h"

namespace guestbackup::demo {

struct LocalServerUser {
  std::string username;  // kopia identity user@host parts
  std::string hostname;
  std::string password;
};

struct LocalServerOptions {
  std::string kopia_path = "kopia";
  std::string work_dir;  // must exist and be empty-ish; repository, configs, certs go here
  std::vector<LocalServerUser> users;
  const std::atomic<bool>* cancel = nullptr;  // stops setup early (Ctrl-C in the demo)
};

class LocalKopiaServer {
 public:
  static Result<std::unique_ptr<LocalKopiaServer>> Start(const LocalServerOptions& options);
  ~LocalKopiaServer();
  LocalKopiaServer(const LocalKopiaServer&) = delete;
  LocalKopiaServer& operator=(const LocalKopiaServer&) = delete;

  const std::string& url() const { return url_; }                  // https://127.0.0.1:PORT
  const std::string& fingerprint() const { return fingerprint_; }  // what clients pin
  const std::string& cert_file() const { return cert_file_; }
  const std::string& repository_dir() const { return repository_dir_; }

  // Stops the server (idempotent).
  void Stop();

 private:
  LocalKopiaServer() = default;
  Status Launch(const LocalServerOptions& options, const kopia::KopiaClient& admin);

  std::string url_, fingerprint_, cert_file_, repository_dir_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A random password of `bytes` random bytes, hex encoded.
std::string RandomPassword(int bytes = 16);

}  // namespace guestbackup::demo
