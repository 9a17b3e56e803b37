// `guestbackup policy check` also checks the files the policy names, by the rules a run
// applies, and reports each at the key that names it (file:line:column, exit 2).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "support/temp_dir.h"
#include "unit/cli/cli_runner.h"

namespace guestbackup::cli {
namespace {

class PolicyCheckFiles : public ::testing::Test {
 protected:
  // A policy whose password_file is `password` (line 4, column 18).
  std::string Policy(const std::string& password) {
    return dir_.WriteFile("policy.yaml",
                          "version: 1\nserver:\n  url: https://s:51515\n"
                          "  password_file: " +
                              password + "\njobs:\n  etc:\n    paths: [/etc]\n");
  }
  std::string Path(const std::string& name) { return (dir_.path() / name).string(); }

  // The one diagnostic's first line, and the exit code.
  std::string FirstLine(const Output& r) { return r.err.substr(0, r.err.find('\n')); }

  testing::TempDir dir_;
};

TEST_F(PolicyCheckFiles, APrivatePasswordFileIsClean) {
  const std::string password = dir_.WriteFile("password", "secret\n");
  ASSERT_EQ(chmod(password.c_str(), 0600), 0);
  const std::string policy = Policy(password);
  const auto r = Cli({"policy", "check", policy});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, policy + ": ok (1 job, 1 path)\n");
}

TEST_F(PolicyCheckFiles, AReadablePasswordFileIsReportedAtItsKey) {
  const std::string password = dir_.WriteFile("password", "secret\n");
  ASSERT_EQ(chmod(password.c_str(), 0644), 0);
  const std::string policy = Policy(password);
  const auto r = Cli({"policy", "check", policy});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(FirstLine(r), policy + ":4:18: server.password_file: credential file " + password +
                              " has mode 0644; it must be 0600 or stricter (chmod 600 " + password +
                              ")");
  EXPECT_NE(r.err.find("1 error in " + policy), std::string::npos) << r.err;
}

#if !defined(_WIN32)  // FIFOs, owners and modes are Linux's
TEST_F(PolicyCheckFiles, MissingDirectoryFifoAndForeignOwnerAreEachRefused) {
  const std::string missing = Path("absent");
  EXPECT_EQ(FirstLine(Cli({"policy", "check", Policy(missing)})),
            Path("policy.yaml") + ":4:18: server.password_file: credential file " + missing +
                " cannot be read: No such file or directory");

  const std::string directory = Path("dir");
  ASSERT_EQ(mkdir(directory.c_str(), 0700), 0);
  EXPECT_EQ(FirstLine(Cli({"policy", "check", Policy(directory)})),
            Path("policy.yaml") + ":4:18: server.password_file: credential file " + directory +
                " is not a regular file");

  // A FIFO is refused by its type: checking it never opens it, so nothing blocks.
  const std::string fifo = Path("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const auto r = Cli({"policy", "check", Policy(fifo)});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(FirstLine(r), Path("policy.yaml") + ":4:18: server.password_file: credential file " +
                              fifo + " is not a regular file");

  if (geteuid() != 0) GTEST_SKIP() << "giving a file to another user needs root";
  const std::string foreign = dir_.WriteFile("foreign", "secret\n");
  ASSERT_EQ(chmod(foreign.c_str(), 0600), 0);
  ASSERT_EQ(chown(foreign.c_str(), 65534, 65534), 0);
  EXPECT_EQ(FirstLine(Cli({"policy", "check", Policy(foreign)})),
            Path("policy.yaml") + ":4:18: server.password_file: credential file " + foreign +
                " is owned by uid 65534; it must be owned by root or by uid 0 (the user running "
                "guestbackup)");
}
#endif

TEST_F(PolicyCheckFiles, NoLocalFilesChecksThePolicyAlone) {
  const auto r = Cli({"policy", "check", "--no-local-files", Policy(Path("absent"))});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(PolicyCheckFiles, CaBundleAndKopiaMustExist) {
  const std::string policy =
      dir_.WriteFile("policy.yaml", "version: 1\nkopia: " + Path("kopia") +
                                        "\nserver:\n  ca_file: " + Path("ca.crt") +
                                        "\njobs:\n  etc:\n    paths: [/etc]\n");
  const auto r = Cli({"policy", "check", policy});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(policy + ":2:8: kopia: " + Path("kopia") + ": No such file or directory"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(policy + ":4:12: server.ca_file: " + Path("ca.crt") +
                       ": No such file or directory"),
            std::string::npos)
      << r.err;
}

// Global options may follow the subcommand, as with kopia, restic and kubectl.
TEST_F(PolicyCheckFiles, GlobalOptionsAfterTheSubcommand) {
  const std::string policy = dir_.WriteFile(
      "policy.yaml", "version: 1\nstate_dir: " + Path("state") +
                         "\njobs:\n  etc:\n    paths: [/etc]\n    schedule: daily\n");
  const auto r = Cli({"schedule", "install", "--dry-run", "--unit-dir", Path("units"), "--policy",
                      policy, "--log-level", "error"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("guestbackup-etc.timer"), std::string::npos) << r.out;
  const auto check = Cli({"policy", "check", "--policy", policy, "--no-local-files"});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out, policy + ": ok (1 job, 1 path)\n");
}

}  // namespace
}  // namespace guestbackup::cli
