// A damaged history.db never stops the backups: it is moved aside (kept, byte for byte), a new
// history starts with a row saying so, a warning names both files, and the run goes on — for
// a truncated file, random bytes and a file whose pages are half overwritten.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "full/history/history.h"
#include "lean/base/logging.h"
#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;

constexpr std::int64_t kNow = 1'796'000'000'000;  // 2026-11-30 00:53:20 UTC

// A real history of `runs` finished rows, checkpointed into the main file.
void WriteHistory(const std::string& path, int runs) {
  auto db = OpenOrFail(path, AlwaysAlive());
  ASSERT_NE(db, nullptr);
  RunOutcome outcome;
  outcome.status = RunStatus::kSucceeded;
  outcome.message = std::string(1500, 'm');
  for (int i = 0; i < runs; ++i) {
    const std::int64_t id = db->BeginRun("etc", "timer", i).value();
    ASSERT_TRUE(db->FinishRun(id, outcome).ok());
  }
  db.reset();
  auto raw = RawOpenOrFail(path);
  ExecOrFail(*raw, "PRAGMA wal_checkpoint(TRUNCATE)");
}

std::string ReadAll(const std::string& path) { return testing::ReadFile(path); }

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// The files beside `path` called "<name>.damaged-…".
std::vector<std::string> Aside(const std::string& path) {
  std::vector<std::string> found;
  const std::filesystem::path p(path);
  for (const auto& e : std::filesystem::directory_iterator(p.parent_path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(p.filename().string() + ".damaged-") && !name.ends_with("-wal")) {
      found.push_back(e.path().string());
    }
  }
  return found;
}

class DamagedHistory : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        InitLogging("info", {.journald = true,
                             .write = [this](std::string_view l) { lines_.emplace_back(l); }})
            .ok());
  }
  void TearDown() override { (void)InitLogging("warn"); }

  // The file's bytes, damaged the way the parameter names.
  std::string Damage(const std::string& path) {
    std::string bytes = ReadAll(path);
    std::mt19937 random(11);
    const std::string kind = GetParam();
    if (kind == "truncated") {
      bytes.resize(bytes.size() / 3);
    } else if (kind == "random-bytes") {
      for (char& c : bytes) c = static_cast<char>(random());
    } else {  // half of every page overwritten, the header page included
      for (std::size_t page = 0; page < bytes.size(); page += 4096) {
        for (std::size_t i = page + 2048; i < std::min(bytes.size(), page + 4096); ++i) {
          bytes[i] = static_cast<char>(random());
        }
      }
    }
    WriteAll(path, bytes);
    return bytes;
  }

  TempDir dir_;
  std::vector<std::string> lines_;
};

TEST_P(DamagedHistory, IsMovedAsideAndTheRunGoesOn) {
  const std::string path = (dir_.path() / "history.db").string();
  WriteHistory(path, 200);
  const std::string damaged = Damage(path);

  // What a scheduled `guestbackup run` does: open, begin, finish.
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, AlwaysAlive(), [] { return kNow; });
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Result<std::int64_t> id = (*db)->BeginRun("etc", "timer", kNow);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  RunOutcome outcome;
  outcome.status = RunStatus::kSucceeded;
  outcome.end_ms = kNow + 1000;
  ASSERT_TRUE((*db)->FinishRun(*id, outcome).ok());

  // The damaged file is kept as it was, under a name that says when and why.
  const std::vector<std::string> aside = Aside(path);
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(aside[0], path + ".damaged-20261130T005320Z");
  EXPECT_EQ(ReadAll(aside[0]), damaged);

  // The new history: the event first, then the run.
  Result<std::vector<RunRecord>> runs = (*db)->ListRuns({.job = "", .limit = 0});
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 2u);
  const RunRecord& event = runs->back();
  EXPECT_EQ(event.id, 1);
  EXPECT_EQ(event.job, "(history)");
  EXPECT_EQ(event.trigger, "recovery");
  EXPECT_THAT(event.message, StartsWith("the history " + path + " was damaged ("));
  EXPECT_THAT(event.message,
              HasSubstr("it was moved aside to " + aside[0] + " (kept) and a new history started"));
  EXPECT_EQ(runs->front().job, "etc");
  EXPECT_EQ(runs->front().status, RunStatus::kSucceeded);
  Result<std::string> check = (*db)->IntegrityCheck();
  EXPECT_EQ(check.ok() ? *check : check.status().ToString(), "ok");

  // One warning, naming both files.
  int warnings = 0;
  for (const std::string& line : lines_) {
    if (line.find("was damaged") == std::string::npos) continue;
    ++warnings;
    EXPECT_THAT(line, StartsWith("<4>"));  // journald's warning priority
    EXPECT_THAT(line, HasSubstr(path));
    EXPECT_THAT(line, HasSubstr(aside[0]));
  }
  EXPECT_EQ(warnings, 1);

  // Opening again finds a healthy history and moves nothing.
  db->reset();
  auto again = OpenOrFail(path, AlwaysAlive());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(Aside(path).size(), 1u);
  EXPECT_EQ(again->ListRuns({.job = "", .limit = 0}).value().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, DamagedHistory,
                         ::testing::Values("truncated", "random-bytes", "half-pages"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                           std::string name = param.param;
                           std::erase(name, '-');
                           return name;
                         });

// Two processes that find the same damaged file: one moves it, the other uses the new file.
TEST(DamagedHistoryTest, TwoOpenersMoveItOnce) {
  TempDir dir;
  const std::string path = (dir.path() / "history.db").string();
  WriteAll(path, std::string(8192, 'x'));
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, AlwaysAlive());
    _exit(db.ok() && (*db)->BeginRun("etc", "timer", 1).ok() ? 0 : 1);
  }
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, AlwaysAlive());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->BeginRun("etc", "timer", 2).ok());
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(Aside(path).size(), 1u);
  Result<std::vector<RunRecord>> runs = (*db)->ListRuns({.job = "", .limit = 0});
  ASSERT_TRUE(runs.ok());
  int events = 0;
  for (const RunRecord& r : *runs) events += r.job == "(history)" ? 1 : 0;
  EXPECT_EQ(events, 1);
  EXPECT_EQ(runs->size(), 3u);  // the event and both runs
}

}  // namespace
}  // namespace guestbackup::history
