// Run() against real programs: exit status, output capture, stdin, environment, start errors
// and what the child inherits.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lean/base/logging.h"
#include "lean/base/secret_masker.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace guestbackup::process {
namespace {

using guestbackup::testing::TempDir;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

ProcessResult RunOk(const ProcessSpec& spec) {
  Result<ProcessResult> result = process::Run(spec);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : ProcessResult{};
}

ProcessResult RunShell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return RunOk(spec);
}

TEST(RunTest, ReportsExitCode) {
  ProcessResult r = RunShell("exit 3");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.Succeeded());
  EXPECT_EQ(r.Describe(), "exit code 3");
  EXPECT_GT(r.pid, 0);

  ProcessSpec spec;
  spec.argv = {"true"};  // looked up on PATH
  EXPECT_TRUE(RunOk(spec).Succeeded());
}

TEST(RunTest, ReportsSignal) {
  ProcessResult r = RunShell("kill -9 $$");
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_EQ(r.Describe(), "killed by signal 9");
}

TEST(RunTest, CapturesStdoutAndStderrAndCallsCallbacks) {
  std::string seen_out;
  std::string seen_err;
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; echo more"};
  spec.on_stdout = [&seen_out](std::string_view chunk) { seen_out += chunk; };
  spec.on_stderr = [&seen_err](std::string_view chunk) { seen_err += chunk; };
  ProcessResult r = RunOk(spec);
  EXPECT_EQ(r.stdout_data, "out\nmore\n");
  EXPECT_EQ(r.stderr_data, "err\n");
  EXPECT_EQ(seen_out, r.stdout_data);
  EXPECT_EQ(seen_err, r.stderr_data);
  EXPECT_FALSE(r.stdout_truncated);
  EXPECT_FALSE(r.stderr_truncated);
}

// Byte count of `seq 1 n`.
std::size_t SeqOutputSize(int n) {
  std::size_t size = 0;
  for (int i = 1; i <= n; ++i) size += std::to_string(i).size() + 1;
  return size;
}

TEST(RunTest, HugeOutputOnBothStreamsKeepsTheTail) {
  constexpr int kLines = 1500000;  // ~11 MiB per stream
  std::size_t out_bytes = 0;
  std::size_t err_bytes = 0;
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "seq 1 1500000 >&2 & seq 1 1500000; wait"};
  spec.on_stdout = [&out_bytes](std::string_view chunk) { out_bytes += chunk.size(); };
  spec.on_stderr = [&err_bytes](std::string_view chunk) { err_bytes += chunk.size(); };
  ProcessResult r = RunOk(spec);
  ASSERT_TRUE(r.Succeeded()) << r.Describe();
  EXPECT_GT(SeqOutputSize(kLines), 10U << 20);
  EXPECT_EQ(out_bytes, SeqOutputSize(kLines));
  EXPECT_EQ(err_bytes, SeqOutputSize(kLines));
  EXPECT_TRUE(r.stdout_truncated);
  EXPECT_TRUE(r.stderr_truncated);
  EXPECT_EQ(r.stdout_data.size(), 64U * 1024);
  EXPECT_EQ(r.stderr_data.size(), 64U * 1024);
  EXPECT_THAT(r.stdout_data, EndsWith("\n1499999\n1500000\n"));
  EXPECT_THAT(r.stderr_data, EndsWith("\n1499999\n1500000\n"));
}

TEST(RunTest, WritesStdinWhileReadingStdout) {
  std::string input;
  for (int i = 0; input.size() < (1U << 20); ++i) input += "line " + std::to_string(i) + "\n";
  ProcessSpec spec;
  spec.argv = {"cat"};
  spec.stdin_data = input;
  spec.stdout_limit = 2U << 20;
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(r.stdout_data, input);
}

TEST(RunTest, ChildThatIgnoresStdinDoesNotHurtUs) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "exec 0<&-; sleep 0.05"};
  spec.stdin_data = std::string(1U << 20, 'x');  // more than a pipe holds
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.Succeeded()) << r.Describe();
}

TEST(RunTest, StdinIsDevNullWithoutData) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "readlink /proc/self/fd/0; cat"};
  EXPECT_EQ(RunOk(spec).stdout_data, "/dev/null\n");
}

TEST(RunTest, ChildSeesAddedReplacedAndUnsetVariables) {
  setenv("GB_TEST_REPLACED", "old", 1);
  setenv("GB_TEST_REMOVED", "gone", 1);
  ProcessSpec spec;
  spec.argv = {"/usr/bin/env"};
  spec.extra_env = {{"GB_TEST_ADDED", "hello world"}, {"GB_TEST_REPLACED", "new"}};
  spec.unset_env = {"GB_TEST_REMOVED"};
  ProcessResult r = RunOk(spec);
  unsetenv("GB_TEST_REPLACED");
  unsetenv("GB_TEST_REMOVED");
  EXPECT_THAT(r.stdout_data, HasSubstr("\nGB_TEST_ADDED=hello world\n"));
  EXPECT_THAT(r.stdout_data, HasSubstr("\nGB_TEST_REPLACED=new\n"));
  EXPECT_THAT(r.stdout_data, Not(HasSubstr("GB_TEST_REPLACED=old")));
  EXPECT_THAT(r.stdout_data, Not(HasSubstr("GB_TEST_REMOVED")));
}

TEST(RunTest, LooksUpArgv0OnTheChildsPath) {
  TempDir dir;
  dir.WriteFile("bin/gb-tool", "#!/bin/sh\necho \"tool $1\"\n", 0755);
  ProcessSpec spec;
  spec.argv = {"gb-tool", "ran"};
  spec.extra_env = {{"PATH", (dir.path() / "bin").string() + ":/usr/bin:/bin"}};
  EXPECT_EQ(RunOk(spec).stdout_data, "tool ran\n");
}

TEST(RunTest, RunsInWorkingDir) {
  TempDir dir;
  ProcessSpec spec;
  spec.argv = {"pwd", "-P"};
  spec.working_dir = dir.path().string();
  EXPECT_EQ(RunOk(spec).stdout_data, std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(RunTest, StartErrorsAreStatuses) {
  ProcessSpec spec;
  spec.argv = {"guestbackup-no-such-tool", "--version"};
  Result<ProcessResult> r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "guestbackup-no-such-tool: executable not found on PATH");

  spec.argv = {"/nonexistent/kopia"};
  r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "/nonexistent/kopia: no such file");

  TempDir dir;
  std::string script = dir.WriteFile("bad-interpreter", "#!/nonexistent/sh\n", 0755);
  spec.argv = {script};
  r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), script + ": its interpreter (the #! line) was not found");

  spec.argv = {dir.WriteFile("not-executable", "#!/bin/sh\n", 0644)};
  r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();

  spec.argv = {"not-executable"};
  spec.extra_env = {{"PATH", dir.path().string()}};
  r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();

  spec.argv = {"true"};
  spec.extra_env = {};
  spec.working_dir = (dir.path() / "missing").string();
  r = process::Run(spec);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("working directory"));

  spec.argv = {};
  EXPECT_EQ(process::Run(spec).status().code(), StatusCode::kInvalidArgument);
}

TEST(RunTest, ChildLeadsItsOwnProcessGroup) {
  ProcessResult r = RunShell("cut -d' ' -f5 /proc/$$/stat");
  EXPECT_EQ(r.stdout_data, std::to_string(r.pid) + "\n");
}

TEST(RunTest, ChildGetsOnlyStdio) {
  int leaked = dup2(STDIN_FILENO, 100);  // no close-on-exec
  ASSERT_EQ(leaked, 100);
  ProcessResult r = RunShell("ls /proc/$$/fd");
  close(leaked);
  EXPECT_EQ(r.stdout_data, "0\n1\n2\n");
}

TEST(RunTest, ChildStartsWithDefaultSignals) {
  sigset_t block;
  sigset_t saved;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &saved);
  struct sigaction ignore {};
  struct sigaction saved_action {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGUSR2, &ignore, &saved_action);

  ProcessSpec spec;
  spec.argv = {"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"};
  ProcessResult r = RunOk(spec);

  sigaction(SIGUSR2, &saved_action, nullptr);
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  EXPECT_EQ(r.stdout_data, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

class RunSecretTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override {
    ClearSecretsForTesting();
    EXPECT_TRUE(InitLogging("off", LoggingOptions{}).ok());
  }
};

TEST_F(RunSecretTest, SecretTravelsInEnvironmentNotCommandLine) {
  const std::string secret = "kopia-repo-password-123";
  RegisterSecret(secret);
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "tr '\\0' ' ' < /proc/$$/cmdline; printf '\\n%s' \"$GB_SECRET\""};
  spec.extra_env = {{"GB_SECRET", secret}};
  ProcessResult r = RunOk(spec);
  std::size_t newline = r.stdout_data.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_THAT(r.stdout_data.substr(0, newline), HasSubstr("/bin/sh -c"));
  EXPECT_THAT(r.stdout_data.substr(0, newline), Not(HasSubstr(secret)));
  EXPECT_EQ(r.stdout_data.substr(newline + 1), secret);  // the child did get it
}

TEST_F(RunSecretTest, LogsMaskedCommandLineAndResult) {
  const std::string secret = "hunter2-but-longer";
  RegisterSecret(secret);
  auto lines = std::make_shared<std::vector<std::string>>();
  LoggingOptions options;
  options.journald = true;
  options.write = [lines](std::string_view line) { lines->emplace_back(line); };
  ASSERT_TRUE(InitLogging("debug", options).ok());

  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "exit 4", "--password=" + secret};
  ProcessResult r = RunOk(spec);
  EXPECT_EQ(r.exit_code, 4);

  std::string all;
  for (const std::string& line : *lines) all += line;
  EXPECT_THAT(all, HasSubstr("<7>starting: /bin/sh -c 'exit 4' '--password=********'\n"));
  EXPECT_THAT(all, HasSubstr("exit code 4"));
  EXPECT_THAT(all, Not(HasSubstr(secret)));
}

TEST(RunTest, ConcurrentRunsFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> outputs(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &outputs] {
      for (int i = 0; i < 5; ++i) {
        ProcessSpec spec;
        spec.argv = {"echo", std::to_string(t)};
        Result<ProcessResult> r = process::Run(spec);
        if (r.ok()) outputs[t] += r->stdout_data;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    std::string expected;
    for (int i = 0; i < 5; ++i) expected += std::to_string(t) + "\n";
    EXPECT_EQ(outputs[t], expected);
  }
}

}  // namespace
}  // namespace guestbackup::process
