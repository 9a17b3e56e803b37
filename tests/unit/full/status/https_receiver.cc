#include "https_receiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace guestbackup::status {

namespace {

// PEM of `write`'s output, "" when it fails.
template <typename Write>
std::string Pem(Write write) {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string pem;
  if (bio != nullptr && write(bio) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(bio);
  return pem;
}

}  // namespace

// The same certificate as `openssl req -x509 -newkey ec -pkeyopt
// ec_paramgen_curve:prime256v1 -days 1 -subj /CN=localhost -addext
// subjectAltName=DNS:localhost,IP:127.0.0.1`, made in process so no openssl program is needed
// (the Windows tests run without one).
TestCertificate MakeSelfSignedCertificate(const guestbackup::testing::TempDir& dir,
                                          const std::string& name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  bool made = key != nullptr && cert != nullptr;
  if (made) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_NAME* subject = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, subject);
    X509_set_pubkey(cert, key);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    made = san != nullptr && X509_add_ext(cert, san, -1) == 1 &&
           X509_sign(cert, key, EVP_sha256()) > 0;
    X509_EXTENSION_free(san);
  }
  TestCertificate c{(dir.path() / (name + ".crt")).string(),
                    (dir.path() / (name + ".key")).string()};
  const std::string cert_pem =
      made ? Pem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); }) : "";
  const std::string key_pem = made ? Pem([key](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  })
                                   : "";
  X509_free(cert);
  EVP_PKEY_free(key);
  if (cert_pem.empty() || key_pem.empty()) {
    ADD_FAILURE() << "cannot make a self-signed certificate";
    return {};
  }
  std::ofstream(c.cert_file, std::ios::binary) << cert_pem;
  std::ofstream(c.key_file, std::ios::binary) << key_pem;
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
