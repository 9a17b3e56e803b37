// Exact text of every kind of policy error: the location, key path, message, source line and
// caret are the user interface of `guestbackup policy check`.
#include <gtest/gtest.h>

#include <string>

#include "lean/policy/policy_loader.h"
#include "unit/lean/policy/check_policy.h"

namespace guestbackup::policy {
namespace {

TEST(PolicyDiagnostics, FormatPutsTheCaretUnderTheColumnKeepingTabs) {
  Diagnostic d{"policy.yaml",
               12,
               16,
               "jobs.etc.schedule",
               "unknown weekday \"Mnd\"",
               "    schedule: \"Mnd *-*-* 02:00\""};
  EXPECT_EQ(FormatDiagnostic(d),
            "policy.yaml:12:16: jobs.etc.schedule: unknown weekday \"Mnd\"\n"
            "   12 |     schedule: \"Mnd *-*-* 02:00\"\n"
            "      |                ^");
  Diagnostic tabs{"p.yaml", 3, 4, "", "boom", "\t\tx: y"};
  EXPECT_EQ(FormatDiagnostic(tabs), "p.yaml:3:4: boom\n    3 | \t\tx: y\n      | \t\t ^");
  Diagnostic unreadable{"/nope", 0, 0, "", "cannot read: No such file or directory", ""};
  EXPECT_EQ(FormatDiagnostic(unreadable), "/nope:0:0: cannot read: No such file or directory");
}

TEST(PolicyDiagnostics, ScheduleErrorPointsIntoTheQuotedExpression) {
  EXPECT_EQ(Check(std::string(kHead) + "    schedule: \"Mnd *-*-* 02:00\"\n"),
            "policy.yaml:5:16: jobs.etc.schedule: unknown weekday \"Mnd\"\n"
            "    5 |     schedule: \"Mnd *-*-* 02:00\"\n"
            "      |                ^\n");
}

TEST(PolicyDiagnostics, ScheduleErrorPointsIntoAPlainExpression) {
  EXPECT_EQ(Check(std::string(kHead) + "    schedule: Mon *-*-* 25:00\n"),
            "policy.yaml:5:25: jobs.etc.schedule: hour \"25\" is out of range 0..23\n"
            "    5 |     schedule: Mon *-*-* 25:00\n"
            "      |                         ^\n");
}

TEST(PolicyDiagnostics, YamlSyntaxErrorKeepsItsPosition) {
  EXPECT_EQ(Check("version: 1\njobs:\n  etc:\n    paths: [/etc\n"),
            "policy.yaml:5:1: end of sequence flow not found\n"
            "    5 | \n"
            "      | ^\n");
}

// A missing key is reported at its parent mapping, which starts at its first key.
TEST(PolicyDiagnostics, UnknownKeySuggestsACloseSibling) {
  EXPECT_EQ(Check("version: 1\njobs:\n  etc:\n    path: [/etc]\n"),
            "policy.yaml:4:5: jobs.etc.path: unknown key; did you mean \"paths\"?\n"
            "    4 |     path: [/etc]\n"
            "      |     ^\n"
            "policy.yaml:4:5: jobs.etc.paths: required key is missing\n"
            "    4 |     path: [/etc]\n"
            "      |     ^\n");
}

TEST(PolicyDiagnostics, UnknownKeyWithoutSuggestion) {
  EXPECT_EQ(Check(std::string(kHead) + "    colour: blue\n"),
            "policy.yaml:5:5: jobs.etc.colour: unknown key\n"
            "    5 |     colour: blue\n"
            "      |     ^\n");
}

TEST(PolicyDiagnostics, DuplicateKey) {
  EXPECT_EQ(Check(std::string(kHead) + "    paths: [/srv]\n"),
            "policy.yaml:5:5: jobs.etc.paths: duplicate key; first given on line 4\n"
            "    5 |     paths: [/srv]\n"
            "      |     ^\n");
}

TEST(PolicyDiagnostics, ExpectedAList) {
  EXPECT_EQ(Check("version: 1\njobs:\n  etc:\n    paths: /etc\n"),
            "policy.yaml:4:12: jobs.etc.paths: expected a list\n"
            "    4 |     paths: /etc\n"
            "      |            ^\n");
}

TEST(PolicyDiagnostics, ExpectedAMapping) {
  EXPECT_EQ(Check(std::string(kHead) + "    hooks: [freeze]\n"),
            "policy.yaml:5:12: jobs.etc.hooks: expected a mapping\n"
            "    5 |     hooks: [freeze]\n"
            "      |            ^\n");
}

TEST(PolicyDiagnostics, ExpectedAnInteger) {
  EXPECT_EQ(Check(std::string(kHead) + "    retention: { keep_daily: many }\n"),
            "policy.yaml:5:30: jobs.etc.retention.keep_daily: expected an integer\n"
            "    5 |     retention: { keep_daily: many }\n"
            "      |                              ^\n");
}

TEST(PolicyDiagnostics, NegativeCount) {
  EXPECT_EQ(Check(std::string(kHead) + "    retention:\n      keep_latest: -1\n"),
            "policy.yaml:6:20: jobs.etc.retention.keep_latest: must be 0 or more, got -1\n"
            "    6 |       keep_latest: -1\n"
            "      |                    ^\n");
}

TEST(PolicyDiagnostics, MissingAndUnsupportedVersion) {
  EXPECT_EQ(Check("jobs:\n  etc:\n    paths: [/etc]\n"),
            "policy.yaml:1:1: version: required key is missing\n"
            "    1 | jobs:\n"
            "      | ^\n");
  EXPECT_EQ(Check("version: 2\njobs:\n  etc:\n    paths: [/etc]\n"),
            "policy.yaml:1:10: version: unsupported version 2; only version 1 is supported\n"
            "    1 | version: 2\n"
            "      |          ^\n");
}

// A file without "version:" or "jobs:" does not look like a policy, so no line of it is shown.
TEST(PolicyDiagnostics, EmptyFileNamesBothRequiredKeys) {
  EXPECT_EQ(Check(""),
            "policy.yaml:1:1: version: required key is missing\n"
            "policy.yaml:1:1: jobs: required key is missing\n");
}

TEST(PolicyDiagnostics, NoJobs) {
  EXPECT_EQ(Check("version: 1\njobs: {}\n"),
            "policy.yaml:2:7: jobs: at least one job is required\n"
            "    2 | jobs: {}\n"
            "      |       ^\n");
}

TEST(PolicyDiagnostics, InvalidDuration) {
  EXPECT_EQ(Check(std::string(kHead) + "    randomized_delay: 5 minutes\n"),
            "policy.yaml:5:23: jobs.etc.randomized_delay: invalid duration \"5 minutes\": "
            "expected numbers with units ms, s, m, h or d, e.g. \"30s\" or \"1h30m\"\n"
            "    5 |     randomized_delay: 5 minutes\n"
            "      |                       ^\n");
}

TEST(PolicyDiagnostics, RelativeDotDotAndDuplicatePaths) {
  EXPECT_EQ(Check("version: 1\njobs:\n  etc:\n    paths: [etc, /srv/../x, /srv/, /srv]\n"),
            "policy.yaml:4:13: jobs.etc.paths[0]: \"etc\" is not an absolute path\n"
            "    4 |     paths: [etc, /srv/../x, /srv/, /srv]\n"
            "      |             ^\n"
            "policy.yaml:4:18: jobs.etc.paths[1]: \"..\" is not allowed in a path "
            "(\"/srv/../x\")\n"
            "    4 |     paths: [etc, /srv/../x, /srv/, /srv]\n"
            "      |                  ^\n"
            "policy.yaml:4:36: jobs.etc.paths[3]: duplicate path \"/srv\" (also paths[2])\n"
            "    4 |     paths: [etc, /srv/../x, /srv/, /srv]\n"
            "      |                                    ^\n");
}

TEST(PolicyDiagnostics, InvalidJobName) {
  EXPECT_EQ(Check("version: 1\njobs:\n  Web_Data:\n    paths: [/srv]\n"),
            "policy.yaml:3:3: jobs.Web_Data: invalid job name \"Web_Data\": use 1-63 lowercase "
            "letters, digits, \"-\" and \"_\", starting with a letter or digit\n"
            "    3 |   Web_Data:\n"
            "      |   ^\n");
}

TEST(PolicyDiagnostics, UnknownCompressionSuggestsTheClosest) {
  EXPECT_EQ(Check(std::string(kHead) + "    compression: zstd-fast\n"),
            "policy.yaml:5:18: jobs.etc.compression: unknown value \"zstd-fast\"; did you mean "
            "\"zstd-fastest\"?\n"
            "    5 |     compression: zstd-fast\n"
            "      |                  ^\n");
}

TEST(PolicyDiagnostics, UnknownChoiceListsTheChoices) {
  EXPECT_EQ(Check(std::string(kHead) +
                  "    hooks:\n      before: [{ run: [/bin/true], on_failure: ignore }]\n"),
            "policy.yaml:6:48: jobs.etc.hooks.before[0].on_failure: unknown value \"ignore\"; "
            "expected one of: abort continue\n"
            "    6 |       before: [{ run: [/bin/true], on_failure: ignore }]\n"
            "      |                                                ^\n");
}

TEST(PolicyDiagnostics, HookProgramMustBeAbsolute) {
  EXPECT_EQ(Check(std::string(kHead) +
                  "    hooks:\n      before:\n        - run: [fsfreeze, -f, /srv]\n"),
            "policy.yaml:7:17: jobs.etc.hooks.before[0].run[0]: \"fsfreeze\" is not an absolute "
            "path; hooks do not search PATH\n"
            "    7 |         - run: [fsfreeze, -f, /srv]\n"
            "      |                 ^\n");
}

TEST(PolicyDiagnostics, HookNeedsExactlyOneOfRunAndShell) {
  EXPECT_EQ(Check(std::string(kHead) + "    hooks:\n"
                                       "      before:\n"
                                       "        - { run: [/bin/true], shell: \"true\" }\n"
                                       "        - { timeout: 5s }\n"),
            "policy.yaml:7:11: jobs.etc.hooks.before[0]: give either \"run\" or \"shell\", not "
            "both\n"
            "    7 |         - { run: [/bin/true], shell: \"true\" }\n"
            "      |           ^\n"
            "policy.yaml:8:11: jobs.etc.hooks.before[1]: a hook needs \"run\" (a program and its "
            "arguments) or \"shell\" (a command line)\n"
            "    8 |         - { timeout: 5s }\n"
            "      |           ^\n");
}

TEST(PolicyDiagnostics, HookNamesAreUniqueAcrossBeforeAndAfter) {
  EXPECT_EQ(Check(std::string(kHead) + "    hooks:\n"
                                       "      before: [{ name: app, shell: \"stop app\" }]\n"
                                       "      after: [{ name: app, shell: \"start app\" }]\n"),
            "policy.yaml:7:23: jobs.etc.hooks.after[0].name: hook name \"app\" is already used by "
            "hooks.before[0]\n"
            "    7 |       after: [{ name: app, shell: \"start app\" }]\n"
            "      |                       ^\n");
}

TEST(PolicyDiagnostics, HookTimeoutMustBePositive) {
  EXPECT_EQ(Check(std::string(kHead) + "    hooks:\n      after: [{ shell: x, timeout: 0 }]\n"),
            "policy.yaml:6:36: jobs.etc.hooks.after[0].timeout: must be longer than 0\n"
            "    6 |       after: [{ shell: x, timeout: 0 }]\n"
            "      |                                    ^\n");
}

TEST(PolicyDiagnostics, PlainHttpIsRefused) {
  EXPECT_EQ(Check(std::string(kHead) + "server:\n"
                                       "  url: http://bsls:51515\n"
                                       "  ca_file: /etc/ca.crt\n"
                                       "  username: web01\n"
                                       "  hostname: prod\n"
                                       "  password_file: /etc/pw\n"),
            "policy.yaml:6:8: server.url: plain http is refused; use https://host[:port]\n"
            "    6 |   url: http://bsls:51515\n"
            "      |        ^\n");
}

TEST(PolicyDiagnostics, UrlWithAPath) {
  EXPECT_EQ(Check(std::string(kHead) +
                  "server: { url: \"https://bsls:51515/repo\", ca_file: /ca, username: u, "
                  "hostname: h, password_file: /pw }\n"),
            "policy.yaml:5:35: server.url: the URL must not have a path (\"/repo\"); expected "
            "https://host[:port]\n"
            "    5 | server: { url: \"https://bsls:51515/repo\", ca_file: /ca, username: u, "
            "hostname: h, password_file: /pw }\n"
            "      |                                   ^\n");
}

// Discovery may supply any server value, so a partial `server` is valid; its values are
// still checked one by one.
TEST(PolicyDiagnostics, PartialServerIsValidButEachValueIsChecked) {
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  url: https://bsls:51515\n  username: Web01\n"),
            "policy.yaml:7:13: server.username: invalid name \"Web01\": use lowercase letters, "
            "digits, \".\", \"_\" and \"-\"\n"
            "    7 |   username: Web01\n"
            "      |             ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  url: https://bsls:51515\n"), "");
}

TEST(PolicyDiagnostics, ServiceName) {
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  service: bsls-sample\n"),
            "policy.yaml:6:12: server.service: missing the namespace; expected "
            "<service>.<namespace>, e.g. \"bsls-sample.openshift-adp\"\n"
            "    6 |   service: bsls-sample\n"
            "      |            ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  service: bsls.Prod\n"),
            "policy.yaml:6:17: server.service: invalid character \"P\"; expected "
            "<service>.<namespace>, e.g. \"bsls-sample.openshift-adp\"\n"
            "    6 |   service: bsls.Prod\n"
            "      |                 ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  service: bsls.prod.svc.example.org\n"), "");
}

TEST(PolicyDiagnostics, FingerprintLengthAndCharacters) {
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  fingerprint: 3f9a\n"),
            "policy.yaml:6:16: server.fingerprint: expected 64 hex digits (SHA-256), got 4\n"
            "    6 |   fingerprint: 3f9a\n"
            "      |                ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "server:\n  fingerprint: \"3f:9g\"\n"),
            "policy.yaml:6:21: server.fingerprint: invalid character \"g\" in the fingerprint; "
            "expected 64 hex digits (SHA-256)\n"
            "    6 |   fingerprint: \"3f:9g\"\n"
            "      |                     ^\n");
}

TEST(PolicyDiagnostics, ExpectedTrueOrFalseAndMissingValue) {
  EXPECT_EQ(Check(std::string(kHead) + "    catch_up: sometimes\n    exclude:\n"),
            "policy.yaml:5:15: jobs.etc.catch_up: expected true or false\n"
            "    5 |     catch_up: sometimes\n"
            "      |               ^\n"
            "policy.yaml:6:5: jobs.etc.exclude: expected a list\n"
            "    6 |     exclude:\n"
            "      |     ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "kopia:\n"),
            "policy.yaml:5:1: kopia: missing value\n"
            "    5 | kopia:\n"
            "      | ^\n");
}

TEST(PolicyDiagnostics, EveryErrorIsReportedInFileOrder) {
  const LoadResult result = LoadPolicyText(
      "version: 3\n"
      "jobz: {}\n"
      "jobs:\n"
      "  etc:\n"
      "    paths: [relative]\n"
      "    schedule: dayly\n",
      "policy.yaml");
  std::vector<std::string> summary;
  for (const Diagnostic& d : result.diagnostics) {
    summary.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.key_path);
  }
  EXPECT_EQ(summary, (std::vector<std::string>{"1:10 version", "2:1 jobz", "5:13 jobs.etc.paths[0]",
                                               "6:15 jobs.etc.schedule"}));
  EXPECT_FALSE(result.policy.has_value());
}

TEST(PolicyDiagnostics, UnreadableFile) {
  const LoadResult result = LoadPolicyFile("/nonexistent/policy.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1U);
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0]),
            "/nonexistent/policy.yaml:0:0: cannot read: No such file or directory");
  EXPECT_FALSE(result.policy.has_value());
}

}  // namespace
}  // namespace guestbackup::policy

namespace guestbackup::policy {
namespace {

// A NUL byte (YAML's "\0" escape) cannot be in a path or a name: every run would fail later, so
// the checker refuses it where it stands and shows it escaped, never raw.
TEST(PolicyDiagnostics, ANulByteIsRefusedWithItsPosition) {
  EXPECT_EQ(Check("version: 1\njobs:\n  etc:\n    paths: [\"/srv/a\\0b\"]\n"),
            "policy.yaml:4:13: jobs.etc.paths[0]: \"/srv/a\\x00b\" contains a NUL byte at "
            "character 7\n"
            "    4 |     paths: [\"/srv/a\\0b\"]\n"
            "      |             ^\n");
  EXPECT_EQ(Check(std::string(kHead) + "state_dir: \"/var/\\0lib\"\n"),
            "policy.yaml:5:18: state_dir: \"/var/\\x00lib\" contains a NUL byte at character 6\n"
            "    5 | state_dir: \"/var/\\0lib\"\n"
            "      |                  ^\n");
}

}  // namespace
}  // namespace guestbackup::policy
