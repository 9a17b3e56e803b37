#include "https_receiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace guestbackup::status {

TestCertificate MakeSelfSignedCertificate(const guestbackup::testing::TempDir& dir,
                                          const std::string& name) {
  TestCertificate c{(dir.path() / (name + ".crt")).string(),
                    (dir.path() / (name + ".key")).string()};
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      c.key_file + "' -out '" + c.cert_file + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "openssl req failed: " << command;
    return {};
  }
  return c;
}

class HttpsReceiver::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    ReceivedRequest received{request.getMethod(), request.getURI(), request.getContentType(), ""};
    Poco::StreamCopier::copyToString(request.stream(), received.body);
    int status = 200;
    {
      std::lock_guard lock(state_->mutex);
      const std::size_t index = state_->requests.size();
      if (index < state_->statuses.size()) status = state_->statuses[index];
      state_->requests.push_back(std::move(received));
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    if (state_->answer == Answer::kAtOnce) {
      response.setContentLength(2);
      response.send() << "ok";
      return;
    }
    response.setContentLength(1'000'000);
    std::ostream& out = response.send();
    for (int i = 0; i < 1'000'000 && out.good() && !state_->stopping; ++i) {
      out.put('.').flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

 private:
  std::shared_ptr<State> state_;
};

class HttpsReceiver::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<State> state_;
};

HttpsReceiver::HttpsReceiver(const TestCertificate& certificate, std::vector<int> statuses,
                             Answer answer)
    : state_(std::make_shared<State>()) {
  state_->statuses = std::move(statuses);
  state_->answer = answer;
  Poco::Net::Context::Ptr context(
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certificate.key_file,
                             certificate.cert_file, "", Poco::Net::Context::VERIFY_NONE));
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16, context);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

HttpsReceiver::~HttpsReceiver() {
  state_->stopping = true;
  server_->stopAll(true);
}

int HttpsReceiver::port() const { return server_->port(); }

std::string HttpsReceiver::Url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(port()) + path;
}

std::vector<ReceivedRequest> HttpsReceiver::Requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

}  // namespace guestbackup::status
