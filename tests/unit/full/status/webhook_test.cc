// Webhooks against a real HTTPS server on 127.0.0.1: the body and paths it receives, retries
// with backoff, certificate verification, and timeouts that end without failing anything.
#include "full/status/webhook.h"

#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "full/status/run_announcer.h"
#include "https_receiver.h"
#include "support/temp_dir.h"

namespace guestbackup::status {
namespace {

using contract::RunStatus;
using guestbackup::testing::TempDir;
using std::chrono::milliseconds;

class WebhookTest : public ::testing::Test {
 protected:
  WebhookTest() : cert_(MakeSelfSignedCertificate(dir_, "receiver")) {}

  // Retries without real pauses; records the pauses asked for.
  WebhookSendOptions FastOptions() {
    WebhookSendOptions options;
    options.sleep = [this](milliseconds pause) { pauses_.push_back(pause); };
    return options;
  }

  policy::WebhookSpec Spec(const HttpsReceiver& receiver, const std::string& path) const {
    policy::WebhookSpec spec;
    spec.url = receiver.Url(path);
    spec.ca_file = cert_.cert_file;
    spec.timeout = std::chrono::seconds(5);
    return spec;
  }

  TempDir dir_;
  TestCertificate cert_;
  std::vector<milliseconds> pauses_;
};

WebhookEvent FinishedEvent() {
  WebhookEvent e;
  e.kind = WebhookEventKind::kFailure;
  e.job = "etc";
  e.status = RunStatus::kPartial;
  e.snapshot_ids = {"k1a2b3", "k4c5d6"};
  e.files = 120;
  e.bytes = 4096;
  e.errors = 2;
  e.message = "2 files could not be read";
  e.host = "web01";
  e.started_ms = 1'764'000'000'000;
  e.finished_ms = 1'764'000'061'500;
  return e;
}

TEST(WebhookFormat, BodyHasEveryField) {
  EXPECT_EQ(nlohmann::json::parse(WebhookBody(FinishedEvent())),
            nlohmann::json::parse(R"({"job": "etc", "event": "failure", "status": "partial",
              "snapshot_ids": ["k1a2b3", "k4c5d6"], "files": 120, "bytes": 4096, "errors": 2,
              "message": "2 files could not be read", "host": "web01",
              "started": "2025-11-24T16:00:00.000Z", "finished": "2025-11-24T16:01:01.500Z"})"));
  WebhookEvent start;
  start.job = "etc";
  start.started_ms = 0;
  const nlohmann::json body = nlohmann::json::parse(WebhookBody(start));
  EXPECT_EQ(body["event"], "start");
  EXPECT_EQ(body["status"], "running");
  EXPECT_TRUE(body["finished"].is_null());
}

TEST(WebhookFormat, HealthchecksStylePaths) {
  EXPECT_EQ(WebhookUrlFor("https://hc-ping.com/abc", WebhookEventKind::kStart),
            "https://hc-ping.com/abc/start");
  EXPECT_EQ(WebhookUrlFor("https://hc-ping.com/abc/", WebhookEventKind::kFailure),
            "https://hc-ping.com/abc/fail");
  EXPECT_EQ(WebhookUrlFor("https://hc-ping.com/abc", WebhookEventKind::kSuccess),
            "https://hc-ping.com/abc");
  EXPECT_EQ(WebhookUrlFor("https://h:8443/p?k=v", WebhookEventKind::kStart),
            "https://h:8443/p/start?k=v");
}

TEST(WebhookFormat, PartialAndInterruptedRunsAreFailuresSkippedOnesSayNothing) {
  EXPECT_EQ(EventForOutcome(RunStatus::kSucceeded), WebhookEventKind::kSuccess);
  EXPECT_EQ(EventForOutcome(RunStatus::kPartial), WebhookEventKind::kFailure);
  EXPECT_EQ(EventForOutcome(RunStatus::kFailed), WebhookEventKind::kFailure);
  EXPECT_EQ(EventForOutcome(RunStatus::kInterrupted), WebhookEventKind::kFailure);
  EXPECT_EQ(EventForOutcome(RunStatus::kSkipped), std::nullopt);
}

TEST_F(WebhookTest, TheReceiverGetsTheJsonBody) {
  HttpsReceiver receiver(cert_);
  const WebhookResult result = SendWebhook(Spec(receiver, "/ping/uuid"), FinishedEvent());
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(result.http_status, 200);
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/ping/uuid/fail");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].body, WebhookBody(FinishedEvent()));
}

TEST_F(WebhookTest, TwoServerErrorsThenSuccessTakesThreeAttemptsWithGrowingPauses) {
  HttpsReceiver receiver(cert_, {500, 500, 200});
  const WebhookResult result = SendWebhook(Spec(receiver, "/hook"), FinishedEvent(), FastOptions());
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(receiver.Requests().size(), 3U);
  EXPECT_EQ(pauses_, (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST_F(WebhookTest, RetriesRunOutAndTheLastAnswerIsReported) {
  HttpsReceiver receiver(cert_, {503, 503, 503});
  policy::WebhookSpec spec = Spec(receiver, "/hook");
  spec.retries = 2;
  const WebhookResult result = SendWebhook(spec, FinishedEvent(), FastOptions());
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(result.http_status, 503);
  EXPECT_EQ(result.status.message(),
            "webhook https://127.0.0.1:" + std::to_string(receiver.port()) +
                "/… (3 attempts): HTTP 503 Service Unavailable");
}

TEST_F(WebhookTest, AClientErrorIsNotRetried) {
  HttpsReceiver receiver(cert_, {404});
  const WebhookResult result = SendWebhook(Spec(receiver, "/hook"), FinishedEvent(), FastOptions());
  EXPECT_FALSE(result.status.ok());
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(result.http_status, 404);
}

TEST_F(WebhookTest, EventsNotListedAreNotSent) {
  HttpsReceiver receiver(cert_);
  policy::WebhookSpec spec = Spec(receiver, "/hook");
  spec.events = {"failure"};
  WebhookEvent start;
  start.job = "etc";
  const WebhookResult result = SendWebhook(spec, start);
  EXPECT_TRUE(result.status.ok());
  EXPECT_EQ(result.attempts, 0);
  EXPECT_TRUE(receiver.Requests().empty());
}

TEST_F(WebhookTest, AnUntrustedCertificateIsRefused) {
  HttpsReceiver receiver(cert_);
  const TestCertificate other = MakeSelfSignedCertificate(dir_, "other");
  policy::WebhookSpec spec = Spec(receiver, "/hook");
  spec.retries = 0;
  spec.ca_file = other.cert_file;  // a CA that did not sign the receiver's certificate
  WebhookResult result = SendWebhook(spec, FinishedEvent(), FastOptions());
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("certificate verify failed"), std::string::npos)
      << result.status.message();
  spec.ca_file = "";  // the system's CA store does not know a self-signed certificate either
  result = SendWebhook(spec, FinishedEvent(), FastOptions());
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("certificate verify failed"), std::string::npos)
      << result.status.message();
  EXPECT_TRUE(receiver.Requests().empty());
}

TEST_F(WebhookTest, AReceiverThatNeverAnswersTimesOut) {
  // Connections complete in the kernel's backlog, but nobody ever speaks TLS.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  policy::WebhookSpec spec;
  spec.url = "https://127.0.0.1:" + std::to_string(silent.address().port()) + "/hook";
  spec.ca_file = cert_.cert_file;
  spec.timeout = milliseconds(300);
  spec.retries = 1;
  const auto begin = std::chrono::steady_clock::now();
  const WebhookResult result = SendWebhook(spec, FinishedEvent(), FastOptions());
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_FALSE(result.status.ok());
  EXPECT_EQ(result.attempts, 2);
  EXPECT_GE(elapsed, milliseconds(600));
  EXPECT_LT(elapsed, milliseconds(4000));
  EXPECT_NE(result.status.message().find("Timeout"), std::string::npos) << result.status.message();
}

TEST_F(WebhookTest, AnAnswerThatNeverEndsIsCutOffAtTheTotalTimeout) {
  // Every read gets a byte well within the 5 s step timeout; only the total bound ends it.
  HttpsReceiver receiver(cert_, {}, HttpsReceiver::Answer::kTrickle);
  policy::WebhookSpec spec = Spec(receiver, "/hook");
  spec.total_timeout = milliseconds(800);
  const auto begin = std::chrono::steady_clock::now();
  const WebhookResult result = SendWebhook(spec, FinishedEvent(), FastOptions());
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(result.attempts, 1);  // no time was left for a retry
  EXPECT_GE(elapsed, milliseconds(800));
  EXPECT_LT(elapsed, milliseconds(2500));
  EXPECT_EQ(result.status.message(),
            "webhook https://127.0.0.1:" + std::to_string(receiver.port()) +
                "/… (1 attempt): no complete answer within total_timeout");
  EXPECT_EQ(receiver.Requests().size(), 1U);
}

TEST_F(WebhookTest, NoRetryStartsOrPausesPastTheTotalTimeout) {
  HttpsReceiver receiver(cert_, {503, 503, 503, 503});
  policy::WebhookSpec spec = Spec(receiver, "/hook");
  spec.retries = 3;
  spec.total_timeout = milliseconds(1500);
  WebhookSendOptions options;
  options.first_backoff = milliseconds(1000);  // a second pause (2 s) would end past the bound
  const WebhookResult result = SendWebhook(spec, FinishedEvent(), options);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.http_status, 503);
  EXPECT_EQ(result.status.message(),
            "webhook https://127.0.0.1:" + std::to_string(receiver.port()) +
                "/… (2 attempts): no time left for another attempt: HTTP 503 Service Unavailable");
}

TEST_F(WebhookTest, AClosedPortFailsQuickly) {
  int port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = probe.address().port();
  }  // closed again: nothing listens there now
  policy::WebhookSpec spec;
  spec.url = "https://127.0.0.1:" + std::to_string(port) + "/hook";
  spec.retries = 0;
  const WebhookResult result = SendWebhook(spec, FinishedEvent(), FastOptions());
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("Connection refused"), std::string::npos)
      << result.status.message();
}

TEST_F(WebhookTest, TheAnnouncerSendsStartThenTheOutcomeAndWritesMetrics) {
  HttpsReceiver receiver(cert_);
  policy::Policy policy;
  policy.jobs.resize(1);
  policy.jobs[0].name = "etc";
  policy.jobs[0].webhook = Spec(receiver, "/uuid");
  auto db = history::HistoryDb::Open((dir_.path() / "history.db").string());
  ASSERT_TRUE(db.ok());
  auto id = (*db)->BeginRun("etc", "timer", 1'764'000'000'000);
  ASSERT_TRUE(id.ok());
  history::RunOutcome outcome;
  outcome.status = RunStatus::kSucceeded;
  outcome.end_ms = 1'764'000'030'000;
  outcome.snapshot_ids = {"kabc"};
  outcome.bytes = 10;
  ASSERT_TRUE((*db)->FinishRun(*id, outcome).ok());
  {
    RunAnnouncer announcer(policy, dir_.path().string(), policy.jobs[0]);
    announcer.Started(1'764'000'000'000);
    announcer.Finished(**db, 1, RunStatus::kSucceeded, outcome);
  }
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].path, "/uuid/start");
  EXPECT_EQ(requests[1].path, "/uuid");
  const nlohmann::json body = nlohmann::json::parse(requests[1].body);
  EXPECT_EQ(body["event"], "success");
  EXPECT_EQ(body["status"], "succeeded");
  EXPECT_EQ(body["snapshot_ids"], nlohmann::json::array({"kabc"}));
  EXPECT_EQ(body["started"], "2025-11-24T16:00:00.000Z");
  EXPECT_EQ(body["finished"], "2025-11-24T16:00:30.000Z");
  EXPECT_NE(guestbackup::testing::ReadFile(dir_.path() / "guestbackup.prom")
                .find("guestbackup_last_bytes{job=\"etc\"} 10\n"),
            std::string::npos);
}

TEST_F(WebhookTest, AnUnreachableWebhookDoesNotHoldTheRunPastItsTimeouts) {
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  policy::Policy policy;
  policy.jobs.resize(1);
  policy.jobs[0].name = "etc";
  policy.jobs[0].webhook.url = "https://127.0.0.1:" + std::to_string(silent.address().port());
  policy.jobs[0].webhook.timeout = milliseconds(200);
  policy.jobs[0].webhook.retries = 1;
  auto db = history::HistoryDb::Open((dir_.path() / "history.db").string());
  ASSERT_TRUE(db.ok());
  WebhookSendOptions options;
  options.first_backoff = milliseconds(10);
  const auto begin = std::chrono::steady_clock::now();
  {
    RunAnnouncer announcer(policy, dir_.path().string(), policy.jobs[0], options);
    announcer.Started(1'000);
    // The start webhook is on its own thread: the backup would go on at once.
    EXPECT_LT(std::chrono::steady_clock::now() - begin, milliseconds(150));
    history::RunOutcome outcome;
    outcome.status = RunStatus::kFailed;
    announcer.Finished(**db, 1, RunStatus::kFailed, outcome);
  }
  // start: one attempt (Finished() stopped its retries), failure: two; each attempt ends when
  // one of its steps (connect, handshake, send, receive) waits 200 ms, so it takes 200-800 ms.
  EXPECT_LT(std::chrono::steady_clock::now() - begin, milliseconds(4000));
}

TEST_F(WebhookTest, TheRunsEndWaitsOnlyForDeliveryAndAtMostTheTotalTimeout) {
  HttpsReceiver receiver(cert_, {}, HttpsReceiver::Answer::kTrickle);
  policy::Policy policy;
  policy.jobs.resize(1);
  policy.jobs[0].name = "etc";
  policy.jobs[0].webhook = Spec(receiver, "/uuid");
  policy.jobs[0].webhook.total_timeout = milliseconds(700);
  auto db = history::HistoryDb::Open((dir_.path() / "history.db").string());
  ASSERT_TRUE(db.ok());
  RunAnnouncer announcer(policy, dir_.path().string(), policy.jobs[0]);
  announcer.Started(1'000);
  // The backup: long enough for the start webhook to be stuck in its endless answer.
  std::this_thread::sleep_for(milliseconds(300));
  history::RunOutcome outcome;
  outcome.status = RunStatus::kSucceeded;
  const auto finished = std::chrono::steady_clock::now();
  announcer.Finished(**db, 1, RunStatus::kSucceeded, outcome);
  EXPECT_LT(std::chrono::steady_clock::now() - finished, milliseconds(200));  // nothing sent yet
  announcer.WaitForDelivery();
  const auto waited = std::chrono::steady_clock::now() - finished;
  // The start webhook's one attempt was cut off 700 ms after Started(), the outcome's at 700 ms
  // after Finished(); neither was retried.
  EXPECT_GE(waited, milliseconds(650));
  EXPECT_LT(waited, milliseconds(2000));
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].path, "/uuid/start");
  EXPECT_EQ(requests[1].path, "/uuid");
}

}  // namespace
}  // namespace guestbackup::status
