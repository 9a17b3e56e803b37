// A real `guestbackup run` against the kopia server announces itself: the webhook receiver (a
// real HTTPS server on loopback) gets start and success, the metrics textfile is replaced and
// passes promtool, and a receiver that never answers costs bounded time but never the backup.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "agent_harness.h"
#include "unit/full/status/https_receiver.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

std::string Webhook(const std::string& url, const std::string& extra) {
  return "notifications:\n  webhook:\n    url: \"" + url + "\"\n" + extra;
}

TEST(NotificationsTest, ARunCallsTheWebhookAndWritesMetrics) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "hello\n");
  TempDir certs;
  const status::TestCertificate cert = status::MakeSelfSignedCertificate(certs, "receiver");
  status::HttpsReceiver receiver(cert);
  agent.WritePolicy(
      "  docs:\n    paths: [" + agent.data().string() + "]\n" +
      Webhook(receiver.Url("/ping/check-1"), "    ca_file: " + cert.cert_file + "\n"));
  const CommandResult run = agent.Run({"run", "docs", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json report = json::parse(run.out);

  const std::vector<status::ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].path, "/ping/check-1/start");
  EXPECT_EQ(json::parse(requests[0].body)["event"], "start");
  EXPECT_EQ(requests[1].path, "/ping/check-1");
  const json body = json::parse(requests[1].body);
  EXPECT_EQ(body["event"], "success");
  EXPECT_EQ(body["status"], "succeeded");
  EXPECT_EQ(body["job"], "docs");
  EXPECT_EQ(body["snapshot_ids"], report["snapshot_ids"]);
  EXPECT_EQ(body["files"], 1);

  const std::string prom = (agent.state() / "guestbackup.prom").string();
  const std::string metrics = ReadFile(prom);
  EXPECT_NE(metrics.find("guestbackup_last_run_status{job=\"docs\",status=\"succeeded\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("guestbackup_runs_total{job=\"docs\",status=\"succeeded\"} 1\n"),
            std::string::npos);
  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    EXPECT_EQ(std::system(("promtool check metrics < '" + prom + "' >/dev/null 2>&1").c_str()), 0);
  }
}

TEST(NotificationsTest, AWebhookThatNeverAnswersDoesNotFailTheRun) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "hello\n");
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  agent.WritePolicy(
      "  docs:\n    paths: [" + agent.data().string() + "]\n" +
      Webhook("https://127.0.0.1:" + std::to_string(silent.address().port()) + "/hook",
              "    timeout: 300ms\n    retries: 0\n"));
  const CommandResult run = agent.Run({"run", "docs", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["status"], "succeeded");
  EXPECT_NE(run.err.find("job docs: start notification not delivered"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("job docs: success notification not delivered"), std::string::npos)
      << run.err;
}

TEST(NotificationsTest, AnAnswerThatNeverEndsHoldsTheRunsEndAtMostTotalTimeout) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "hello\n");
  TempDir certs;
  const status::TestCertificate cert = status::MakeSelfSignedCertificate(certs, "receiver");
  // Each read of an answer gets a byte at once, so the 10 s step timeout never ends it.
  status::HttpsReceiver receiver(cert, {}, status::HttpsReceiver::Answer::kTrickle);
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n" +
                    Webhook(receiver.Url("/hook"),
                            "    ca_file: " + cert.cert_file + "\n    total_timeout: 2s\n"));
  const auto begin = std::chrono::steady_clock::now();
  const CommandResult run = agent.Run({"run", "docs", "--json"});
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["status"], "succeeded");
  // The backup itself takes well under a second or two here; each webhook adds at most 2 s.
  EXPECT_LT(elapsed, std::chrono::seconds(12));
  EXPECT_NE(run.err.find("job docs: success notification not delivered: unavailable: webhook "
                         "https://127.0.0.1:" +
                         std::to_string(receiver.port()) +
                         "/… (1 attempt): no complete answer within total_timeout"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(receiver.Requests().size(), 2U);
}

}  // namespace
}  // namespace guestbackup::testing
