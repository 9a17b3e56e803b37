// `guestbackup demo`, the README's first command: it proves the restore, cleans up after
// itself, and also cleans up (server stopped, directory removed) when interrupted mid-way.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <regex>

#include "agent_harness.h"
#include "lean/process/process.h"

namespace guestbackup::testing {
namespace {

namespace fs = std::filesystem;

struct DemoRun {
  process::ProcessResult result;
  std::string work_dir;
};

// Runs the demo; when `interrupt_at` appears in its output, it gets SIGTERM (as from Ctrl-C
// or systemd) through the process runner's cancel path.
DemoRun RunDemo(const std::string& interrupt_at) {
  std::atomic<bool> cancel{false};
  std::string seen;
  process::ProcessSpec spec;
  spec.argv = {GUESTBACKUP_BINARY, "--kopia", KopiaBinary(), "demo"};
  spec.timeout = std::chrono::minutes(3);
  spec.kill_grace = std::chrono::seconds(30);  // time for the demo's own cleanup
  spec.cancel = &cancel;
  spec.on_stdout = [&](std::string_view chunk) {
    seen.append(chunk);
    if (!interrupt_at.empty() && seen.find(interrupt_at) != std::string::npos) cancel = true;
  };
  auto r = process::Run(spec);
  EXPECT_TRUE(r.ok());
  DemoRun run{r.ok() ? *r : process::ProcessResult{}, ""};
  std::smatch m;
  const std::string out = run.result.stdout_data;
  if (std::regex_search(out, m, std::regex("working in (\\S+)"))) run.work_dir = m[1].str();
  return run;
}

TEST(DemoTest, RestoresTheEarlierVersionByteForByteAndCleansUp) {
  const DemoRun run = RunDemo("");
  ASSERT_TRUE(run.result.exited) << run.result.Describe();
  EXPECT_EQ(run.result.exit_code, 0) << run.result.stdout_data << run.result.stderr_data;
  const std::string& out = run.result.stdout_data;
  EXPECT_NE(out.find("[8/8] history"), std::string::npos);
  EXPECT_NE(out.find("restored file is byte-for-byte identical to the first version"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2 versions in 2 snapshots"), std::string::npos) << out;
  ASSERT_FALSE(run.work_dir.empty());
  EXPECT_FALSE(fs::exists(run.work_dir)) << run.work_dir << " was left behind";
}

TEST(DemoTest, InterruptedDemoStopsTheServerAndRemovesItsDirectory) {
  const DemoRun run = RunDemo("[3/8]");
  ASSERT_TRUE(run.result.exited) << run.result.Describe() << "\n" << run.result.stdout_data;
  EXPECT_EQ(run.result.exit_code, 130) << run.result.stdout_data << run.result.stderr_data;
  EXPECT_NE(run.result.stdout_data.find("interrupted: stopping the server and removing the demo "
                                        "directory"),
            std::string::npos)
      << run.result.stdout_data;
  ASSERT_FALSE(run.work_dir.empty());
  EXPECT_FALSE(fs::exists(run.work_dir)) << run.work_dir << " was left behind";
  // No kopia process of the demo survives.
  for (const auto& proc : fs::directory_iterator("/proc")) {
    const std::string cmdline = ReadFile(proc.path() / "cmdline");
    EXPECT_EQ(cmdline.find(run.work_dir), std::string::npos) << proc.path();
  }
}

}  // namespace
}  // namespace guestbackup::testing
