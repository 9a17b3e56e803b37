// Child processes on Windows (process_win32.cc), with a helper child of our own: arguments
// that survive Windows' command-line quoting, secrets through the environment, stdin, bounded
// output, and timeouts and cancel that end the whole tree of processes (the Job Object).
#include <gtest/gtest.h>
#include <windows.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "lean/process/process.h"
#include "support/environment.h"
#include "support/temp_dir.h"

namespace guestbackup::process {
namespace {

using namespace std::chrono_literals;

ProcessSpec Helper(std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {GUESTBACKUP_CHILD_HELPER};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = 30s;
  return spec;
}

bool IsRunning(DWORD pid) {
  HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (process == nullptr) return false;
  const bool running = WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
  CloseHandle(process);
  return running;
}

TEST(RunWin32, ArgumentsArriveIntactThroughQuoting) {
  const std::vector<std::string> args = {"plain", "two words", "q\"uote",  "back\\slash\\",
                                         "",      "a\\\\\"b",  "tab\there"};
  std::vector<std::string> echo = {"echo"};
  echo.insert(echo.end(), args.begin(), args.end());
  const Result<ProcessResult> result = process::Run(Helper(echo));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::string expected;
  for (std::size_t i = 0; i < args.size(); ++i) expected += (i > 0 ? "|" : "") + args[i];
  EXPECT_EQ(result->stdout_data, expected + "\r\n");
  EXPECT_TRUE(result->Succeeded());
}

TEST(RunWin32, ExitCodeAndStderrAreReported) {
  const Result<ProcessResult> result = process::Run(Helper({"exit", "7"}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->exited);
  EXPECT_EQ(result->exit_code, 7);
  EXPECT_EQ(result->stderr_data, "bye\r\n");
  EXPECT_EQ(result->Describe(), "exit code 7");
}

TEST(RunWin32, SecretsTravelInTheEnvironmentAndUnsetVariablesAreGone) {
  ProcessSpec set = Helper({"env", "GB_TEST_SECRET"});
  set.extra_env = {{"GB_TEST_SECRET", "s3cret value"}};
  EXPECT_EQ(process::Run(set)->stdout_data, "s3cret value\r\n");
  testing::SetEnv("GB_TEST_REMOVED", "inherited");
  ProcessSpec inherit = Helper({"env", "GB_TEST_REMOVED"});
  EXPECT_EQ(process::Run(inherit)->stdout_data, "inherited\r\n");
  ProcessSpec unset = Helper({"env", "GB_TEST_REMOVED"});
  unset.unset_env = {"GB_TEST_REMOVED"};
  EXPECT_EQ(process::Run(unset)->stdout_data, "<unset>\r\n");
  testing::UnsetEnv("GB_TEST_REMOVED");
}

TEST(RunWin32, StdinIsWrittenAndClosed) {
  ProcessSpec spec = Helper({"stdin"});
  spec.stdin_data = "line one\nline two";
  const Result<ProcessResult> result = process::Run(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->stdout_data, "line one\r\nline two");
}

TEST(RunWin32, OutputKeepsItsTailWithinTheLimit) {
  ProcessSpec spec = Helper({"flood", "300000"});
  spec.stdout_limit = 1000;
  std::size_t seen = 0;
  spec.on_stdout = [&](std::string_view chunk) { seen += chunk.size(); };
  const Result<ProcessResult> result = process::Run(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->stdout_data, std::string(1000, 'x'));
  EXPECT_TRUE(result->stdout_truncated);
  EXPECT_EQ(seen, 300000u);
}

TEST(RunWin32, ATimeoutEndsTheChildAndWhatItStarted) {
  guestbackup::testing::TempDir dir;
  const std::string pid_file = (dir.path() / "grandchild.pid").string();
  ProcessSpec spec = Helper({"tree", pid_file, "60"});
  spec.timeout = 2s;
  spec.kill_grace = 1s;  // the helper does not listen for the stop request
  const Result<ProcessResult> result = process::Run(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->Describe(), "timed out after 2s (killed)");
  EXPECT_LT(result->duration, 10s);
  DWORD grandchild = 0;
  std::ifstream(pid_file) >> grandchild;
  ASSERT_NE(grandchild, 0u) << "the helper did not start its child";
  EXPECT_FALSE(IsRunning(grandchild)) << "pid " << grandchild << " outlived the timeout";
}

// Runs `spec` with a cancel flag that is set half a second in.
Result<ProcessResult> RunCancelledAfterHalfASecond(ProcessSpec spec) {
  std::atomic<bool> cancel{false};
  spec.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(500ms);
    cancel = true;
  });
  Result<ProcessResult> result = process::Run(spec);
  canceller.join();
  return result;
}

TEST(RunWin32, CancelEndsAChildThatIgnoresTheStopRequestAfterTheGrace) {
  ProcessSpec spec = Helper({"sleep", "60"});
  spec.kill_grace = 1s;
  const Result<ProcessResult> result = RunCancelledAfterHalfASecond(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->cancelled);
  EXPECT_EQ(result->Describe(), "cancelled");
  EXPECT_LT(result->duration, 10s);
}

// Where Linux sends SIGTERM: the child's stop event, which guestbackup's interrupt handlers
// wait on, so a cancelled `guestbackup run` stops kopia, runs its after hooks and exits 130.
TEST(RunWin32, CancelAsksTheChildToStopAndLetsItExitByItself) {
  ProcessSpec spec = Helper({"interruptible", "60"});
  spec.kill_grace = 30s;
  const Result<ProcessResult> result = RunCancelledAfterHalfASecond(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->cancelled);
  EXPECT_TRUE(result->exited);
  EXPECT_EQ(result->exit_code, 130);
  EXPECT_EQ(result->stdout_data, "variable taken\r\n");
  EXPECT_EQ(result->stderr_data, "stopping\r\n");
  EXPECT_LT(result->duration, 10s);
}

TEST(RunWin32, AMissingProgramIsNotFoundByName) {
  ProcessSpec spec;
  spec.argv = {"guestbackup-no-such-program"};
  const Result<ProcessResult> result = process::Run(spec);
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.status().message(), "guestbackup-no-such-program: executable not found on PATH");
}

TEST(RunWin32, AMissingWorkingDirectoryIsNotFound) {
  ProcessSpec spec = Helper({"exit", "0"});
  spec.working_dir = "C:\\guestbackup-no-such-directory";
  EXPECT_EQ(process::Run(spec).status().message(),
            "working directory C:\\guestbackup-no-such-directory does not exist");
}

TEST(RunWin32, ProgramsAreFoundOnThePathWithTheirExtension) {
  ProcessSpec spec;
  spec.argv = {"cmd", "/c", "exit 5"};
  const Result<ProcessResult> result = process::Run(spec);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->exit_code, 5);
}

// A hook's `shell:` on Windows: cmd.exe gets the script as written, quotes and operators
// included, and the job's variables in its environment.
TEST(RunWin32, AShellScriptRunsInCmdAsWritten) {
  ProcessSpec spec;
  spec.argv = ShellArgv(R"(echo "two words"& echo %GUESTBACKUP_JOB%& exit /b 3)");
  spec.extra_env = {{"GUESTBACKUP_JOB", "nightly"}};
  spec.timeout = 30s;
  Result<ProcessResult> r = process::Run(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->stdout_data, "\"two words\"\r\nnightly\r\n");
}

}  // namespace
}  // namespace guestbackup::process
