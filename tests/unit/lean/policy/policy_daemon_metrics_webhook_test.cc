// The keys for running unattended: `daemon`, `metrics` and `notifications.webhook` (global and
// per job): their defaults, the field-by-field override, and the exact text of their errors.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "lean/policy/policy_loader.h"
#include "unit/lean/policy/check_policy.h"

namespace guestbackup::policy {
namespace {

using std::chrono::milliseconds;

Policy Load(const std::string& text) {
  const LoadResult result = LoadPolicyText(text, "policy.yaml");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  return result.policy.value_or(Policy{});
}

const std::vector<std::string> kAllEvents = {"start", "success", "failure"};

TEST(PolicyDaemonMetricsWebhook, DefaultsWhenNothingIsGiven) {
  const Policy policy = Load(kHead);
  EXPECT_EQ(policy.daemon.max_parallel, 1);
  EXPECT_EQ(policy.daemon.shutdown_grace, std::chrono::minutes(5));
  EXPECT_EQ(policy.metrics.textfile, "");  // <state_dir>/guestbackup.prom
  EXPECT_EQ(policy.webhook.url, "");
  EXPECT_EQ(policy.webhook.events, kAllEvents);
  ASSERT_EQ(policy.jobs.size(), 1U);
  const WebhookSpec& job = policy.jobs[0].webhook;
  EXPECT_EQ(job.url, "");
  EXPECT_EQ(job.events, kAllEvents);
  EXPECT_EQ(job.timeout, std::chrono::seconds(10));
  EXPECT_EQ(job.retries, 3);
  EXPECT_EQ(job.total_timeout, std::chrono::seconds(30));
  EXPECT_EQ(job.ca_file, "");
}

TEST(PolicyDaemonMetricsWebhook, ValuesAndTheJobOverrideFieldByField) {
  const Policy policy = Load(
      "version: 1\n"
      "daemon: { max_parallel: 4, shutdown_grace: 90s }\n"
      "metrics: { textfile: /var/lib/node_exporter//guestbackup.prom }\n"
      "notifications:\n"
      "  webhook:\n"
      "    url: https://hc-ping.com/0b7c9a4e?source=vm\n"
      "    events: [failure]\n"
      "    timeout: 3s\n"
      "    retries: 0\n"
      "    total_timeout: 45s\n"
      "    ca_file: /etc/ca//hc.crt\n"
      "jobs:\n"
      "  etc:\n"
      "    paths: [/etc]\n"
      "  db:\n"
      "    paths: [/db]\n"
      "    notifications:\n"
      "      webhook: { url: \"https://hooks.example:8443/db\", events: [start, success] }\n"
      "  quiet:\n"
      "    paths: [/q]\n"
      "    notifications: { webhook: { events: [] } }\n");
  EXPECT_EQ(policy.daemon.max_parallel, 4);
  EXPECT_EQ(policy.daemon.shutdown_grace, milliseconds(90'000));
  EXPECT_EQ(policy.metrics.textfile, "/var/lib/node_exporter/guestbackup.prom");
  EXPECT_EQ(policy.webhook.url, "https://hc-ping.com/0b7c9a4e?source=vm");
  ASSERT_EQ(policy.jobs.size(), 3U);

  const WebhookSpec& etc = policy.jobs[0].webhook;  // the global one, unchanged
  EXPECT_EQ(etc.url, "https://hc-ping.com/0b7c9a4e?source=vm");
  EXPECT_EQ(etc.events, std::vector<std::string>{"failure"});
  EXPECT_EQ(etc.timeout, milliseconds(3'000));
  EXPECT_EQ(etc.retries, 0);
  EXPECT_EQ(etc.total_timeout, milliseconds(45'000));
  EXPECT_EQ(etc.ca_file, "/etc/ca/hc.crt");

  const WebhookSpec& db = policy.jobs[1].webhook;  // url and events its own, the rest inherited
  EXPECT_EQ(db.url, "https://hooks.example:8443/db");
  EXPECT_EQ(db.events, (std::vector<std::string>{"start", "success"}));
  EXPECT_EQ(db.timeout, milliseconds(3'000));
  EXPECT_EQ(db.retries, 0);
  EXPECT_EQ(db.total_timeout, milliseconds(45'000));
  EXPECT_EQ(db.ca_file, "/etc/ca/hc.crt");

  const WebhookSpec& quiet = policy.jobs[2].webhook;  // `events: []` silences the job
  EXPECT_EQ(quiet.url, "https://hc-ping.com/0b7c9a4e?source=vm");
  EXPECT_TRUE(quiet.events.empty());
}

TEST(PolicyDaemonMetricsWebhook, MaxParallelMustBeAtLeastOne) {
  EXPECT_EQ(Check(std::string(kHead) + "daemon:\n  max_parallel: 0\n"),
            "policy.yaml:6:17: daemon.max_parallel: must be 1 or more, got 0\n"
            "    6 |   max_parallel: 0\n"
            "      |                 ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "daemon:\n  max_parallel: all\n"),
            "policy.yaml:6:17: daemon.max_parallel: expected an integer\n"
            "    6 |   max_parallel: all\n"
            "      |                 ^\n");
}

TEST(PolicyDaemonMetricsWebhook, ShutdownGraceIsADuration) {
  EXPECT_EQ(Check(std::string(kHead) + "daemon: { shutdown_grace: 0 }\n"),
            "policy.yaml:5:27: daemon.shutdown_grace: must be longer than 0\n"
            "    5 | daemon: { shutdown_grace: 0 }\n"
            "      |                           ^\n");
}

TEST(PolicyDaemonMetricsWebhook, TextfileMustBeAbsolute) {
  EXPECT_EQ(Check(std::string(kHead) + "metrics:\n  textfile: guestbackup.prom\n"),
            "policy.yaml:6:13: metrics.textfile: \"guestbackup.prom\" is not an absolute path\n"
            "    6 |   textfile: guestbackup.prom\n"
            "      |             ^\n");
}

TEST(PolicyDaemonMetricsWebhook, WebhookRefusesPlainHttp) {
  EXPECT_EQ(Check(std::string(kHead) + "notifications:\n  webhook:\n    url: http://hc/ping\n"),
            "policy.yaml:7:10: notifications.webhook.url: plain http is refused; use "
            "https://host[:port]/path\n"
            "    7 |     url: http://hc/ping\n"
            "      |          ^\n");
}

TEST(PolicyDaemonMetricsWebhook, WebhookUrlPointsAtTheBadCharacter) {
  EXPECT_EQ(Check(std::string(kHead) +
                  "    notifications: { webhook: { url: \"https://h:99999/x\" } }\n"),
            "policy.yaml:5:49: jobs.etc.notifications.webhook.url: invalid port \"99999\"\n"
            "    5 |     notifications: { webhook: { url: \"https://h:99999/x\" } }\n"
            "      |                                                 ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "notifications: { webhook: { url: \"https://hc/a b\" } }\n"),
            "policy.yaml:5:47: notifications.webhook.url: invalid character \" \" in the path; "
            "encode it as %XX\n"
            "    5 | notifications: { webhook: { url: \"https://hc/a b\" } }\n"
            "      |                                               ^\n");
}

TEST(PolicyDaemonMetricsWebhook, EventsAreChoicesListedOnce) {
  EXPECT_EQ(Check(std::string(kHead) + "notifications:\n"
                                       "  webhook:\n"
                                       "    url: https://hc/x\n"
                                       "    events: [start, sucess, start, done]\n"),
            "policy.yaml:8:21: notifications.webhook.events[1]: unknown value \"sucess\"; did you "
            "mean \"success\"?\n"
            "    8 |     events: [start, sucess, start, done]\n"
            "      |                     ^\n"
            "policy.yaml:8:29: notifications.webhook.events[2]: \"start\" is already listed "
            "(events[0])\n"
            "    8 |     events: [start, sucess, start, done]\n"
            "      |                             ^\n"
            "policy.yaml:8:36: notifications.webhook.events[3]: unknown value \"done\"; expected "
            "one of: start success failure\n"
            "    8 |     events: [start, sucess, start, done]\n"
            "      |                                    ^\n");
  EXPECT_EQ(
      Check(std::string(kHead) + "notifications: { webhook: { url: https://h/, events: x } }\n"),
      "policy.yaml:5:54: notifications.webhook.events: expected a list\n"
      "    5 | notifications: { webhook: { url: https://h/, events: x } }\n"
      "      |                                                      ^\n");
}

TEST(PolicyDaemonMetricsWebhook, RetriesAndCaFile) {
  EXPECT_EQ(
      Check(std::string(kHead) +
            "notifications: { webhook: { url: https://h/, retries: -1, ca_file: ca.crt } }\n"),
      "policy.yaml:5:55: notifications.webhook.retries: must be 0 or more, got -1\n"
      "    5 | notifications: { webhook: { url: https://h/, retries: -1, ca_file: ca.crt } "
      "}\n"
      "      |                                                       ^\n"
      "policy.yaml:5:68: notifications.webhook.ca_file: \"ca.crt\" is not an absolute path\n"
      "    5 | notifications: { webhook: { url: https://h/, retries: -1, ca_file: ca.crt } "
      "}\n"
      "      |                                                                    ^\n");
}

TEST(PolicyDaemonMetricsWebhook, AWebhookNeedsAUrlHereOrInherited) {
  EXPECT_EQ(Check(std::string(kHead) + "notifications:\n  webhook:\n    timeout: 5s\n"),
            "policy.yaml:7:5: notifications.webhook.url: required: the webhook has no URL to call\n"
            "    7 |     timeout: 5s\n"
            "      |     ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "    notifications:\n      webhook:\n        retries: 1\n"),
            "policy.yaml:7:9: jobs.etc.notifications.webhook.url: required: the webhook has no "
            "URL to call\n"
            "    7 |         retries: 1\n"
            "      |         ^\n");
  // Inherited from the global webhook: fine.
  EXPECT_EQ(Check(std::string(kHead) + "    notifications: { webhook: { retries: 1 } }\n"
                                       "notifications: { webhook: { url: https://h/x } }\n"),
            "");
}

TEST(PolicyDaemonMetricsWebhook, UnknownWebhookKeySuggests) {
  EXPECT_EQ(
      Check(std::string(kHead) + "notifications: { webhook: { url: https://h/, event: [] } }\n"),
      "policy.yaml:5:46: notifications.webhook.event: unknown key; did you mean \"events\"?\n"
      "    5 | notifications: { webhook: { url: https://h/, event: [] } }\n"
      "      |                                              ^\n");
}

}  // namespace
}  // namespace guestbackup::policy
