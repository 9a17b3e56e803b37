// A real HTTPS server on 127.0.0.1 for the webhook tests: a throwaway self-signed certificate
// made with the openssl command, Poco's HTTPServer on a SecureServerSocket, and a script of
// status codes to answer with (at once, or trickled without end). It records every request it
// receives.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>

#include <atomic>
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
  enum class Answer {
    kAtOnce,
    // The headers, then a body of 1 MB one byte every 100 ms: each read of the client's is
    // answered well within any timeout, but the answer never ends.
    kTrickle,
  };
  // Answers requests with `statuses` in turn, then 200 for every further one.
  HttpsReceiver(const TestCertificate& certificate, std::vector<int> statuses = {},
                Answer answer = Answer::kAtOnce);
  ~HttpsReceiver();

  int port() const;
  std::string Url(const std::string& path) const;  // "https://127.0.0.1:<port><path>"
  std::vector<ReceivedRequest> Requests() const;

 private:
  struct State {
    mutable std::mutex mutex;
    std::vector<int> statuses;
    std::vector<ReceivedRequest> requests;
    Answer answer = Answer::kAtOnce;
    std::atomic<bool> stopping{false};
  };
  class Handler;
  class Factory;
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace guestbackup::status
