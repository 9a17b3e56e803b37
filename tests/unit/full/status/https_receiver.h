// A real HTTPS server on 127.0.0.1 for the webhook tests: a throwaway self-signed certificate
// made with the openssl command, Poco's HTTPServer on a SecureServerSocket, and a script of
// status codes to answer with. It records every request it receives.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace guestbackup::status {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::string content_type;
  std::string body;
};

// A key and self-signed certificate for CN=localhost, SAN localhost and 127.0.0.1.
struct TestCertificate {
  std::string cert_file;
  std::string key_file;
};
// Runs `openssl req`; fails the test (and returns empty paths) when that fails.
TestCertificate MakeSelfSignedCertificate(const guestbackup::testing::TempDir& dir,
                                          const std::string& name);

class HttpsReceiver {
 public:
  // Answers requests with `statuses` in turn, then 200 for every further one.
  HttpsReceiver(const TestCertificate& certificate, std::vector<int> statuses = {});
  ~HttpsReceiver();

  int port() const;
  std::string Url(const std::string& path) const;  // "https://127.0.0.1:<port><path>"
  std::vector<ReceivedRequest> Requests() const;

 private:
  struct State {
    mutable std::mutex mutex;
    std::vector<int> statuses;
    std::vector<ReceivedRequest> requests;
  };
  class Handler;
  class Factory;
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace guestbackup::status
