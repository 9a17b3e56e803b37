// Several processes and threads write the same history at once: every write must wait its
// turn (BEGIN IMMEDIATE + busy timeout) rather than fail, and no row may be lost.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "full/history/history.h"
#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using testing::TempDir;

constexpr int kRunsPerWriter = 50;

// Opens the history and records kRunsPerWriter runs of `job`, listing runs after each one.
// Returns "" on success, else the first error.
std::string WriteRuns(const std::string& path, const std::string& job) {
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path);
  if (!db.ok()) return db.status().ToString();
  for (int i = 0; i < kRunsPerWriter; ++i) {
    Result<std::int64_t> id = (*db)->BeginRun(job, "timer", 1000 + i);
    if (!id.ok()) return "BeginRun: " + id.status().ToString();
    RunOutcome outcome;
    outcome.status = RunStatus::kSucceeded;
    outcome.end_ms = 2000 + i;
    outcome.files = i;
    outcome.snapshot_ids = {job + "-" + std::to_string(i)};
    Status finished = (*db)->FinishRun(*id, outcome);
    if (!finished.ok()) return "FinishRun: " + finished.ToString();
    Result<std::vector<RunRecord>> runs = (*db)->ListRuns({.job = "", .limit = 10});
    if (!runs.ok()) return "ListRuns: " + runs.status().ToString();
  }
  return "";
}

// Every job has kRunsPerWriter finished runs, one per start time, and the file is healthy.
void ExpectAllRuns(const std::string& path, int writers) {
  auto db = OpenOrFail(path);
  ASSERT_NE(db, nullptr);
  Result<std::vector<RunRecord>> runs = db->ListRuns({.job = "", .limit = 0});
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  EXPECT_EQ(runs->size(), static_cast<std::size_t>(writers * kRunsPerWriter));
  std::map<std::string, std::vector<std::int64_t>> files_by_job;
  for (const RunRecord& run : *runs) {
    EXPECT_EQ(run.status, RunStatus::kSucceeded) << run.job << " run " << run.id;
    files_by_job[run.job].push_back(run.files);
  }
  ASSERT_EQ(files_by_job.size(), static_cast<std::size_t>(writers));
  for (const auto& [job, files] : files_by_job) {
    ASSERT_EQ(files.size(), static_cast<std::size_t>(kRunsPerWriter)) << job;
    for (int i = 0; i < kRunsPerWriter; ++i) {
      EXPECT_EQ(files[static_cast<std::size_t>(i)], kRunsPerWriter - 1 - i) << job;
    }
  }
  EXPECT_EQ(db->IntegrityCheck().value(), "ok");
}

TEST(HistoryConcurrencyTest, ProcessesWriteOneFileAtOnce) {
  constexpr int kProcesses = 6;
  TempDir dir;
  const std::string path = (dir.path() / "history.db").string();  // not created yet: the
                                                                  // writers race to create it
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(start[1]);
      char byte = 0;
      (void)read(start[0], &byte, 1);  // all writers start when the parent closes the pipe
      const std::string error = WriteRuns(path, "job-" + std::to_string(p));
      if (!error.empty()) std::cerr << "writer " << p << ": " << error << "\n";
      _exit(error.empty() ? 0 : 1);
    }
    children.push_back(child);
  }
  close(start[0]);
  close(start[1]);
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "writer process " << child << " reported an error";
  }
  ExpectAllRuns(path, kProcesses);
}

TEST(HistoryConcurrencyTest, ThreadsWithTheirOwnConnections) {
  constexpr int kThreads = 4;
  TempDir dir;
  const std::string path = (dir.path() / "history.db").string();
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string error = WriteRuns(path, "job-" + std::to_string(t));
      if (error.empty()) return;
      const std::lock_guard<std::mutex> lock(mutex);
      errors.push_back(error);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  ExpectAllRuns(path, kThreads);
}

}  // namespace
}  // namespace guestbackup::history
