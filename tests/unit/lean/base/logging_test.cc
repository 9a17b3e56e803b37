#include "lean/base/logging.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "lean/base/secret_masker.h"
#include "support/temp_dir.h"

namespace guestbackup {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// gtest's MatchesRegex is POSIX on Linux and a small subset (no brackets or braces) on
// Windows; std::regex reads the same pattern on both.
MATCHER_P(FullyMatches, pattern, "matches " + std::string(pattern)) {
  return std::regex_match(arg, std::regex(pattern));
}

// Captures log lines; the vector is shared so the sink never outlives it.
class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override {
    ClearSecretsForTesting();
    EXPECT_TRUE(InitLogging("off", LoggingOptions{}).ok());
  }

  Status Capture(std::string_view level, bool journald) {
    LoggingOptions options;
    options.journald = journald;
    options.write = [lines = lines_](std::string_view line) { lines->emplace_back(line); };
    return InitLogging(level, std::move(options));
  }

  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
};

TEST_F(LoggingTest, RejectsUnknownLevel) {
  Status status = InitLogging("verbose");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("\"verbose\""));
}

TEST_F(LoggingTest, PlainFormatHasUtcTimestampAndLevel) {
  ASSERT_TRUE(Capture("info", /*journald=*/false).ok());
  spdlog::info("hello {}", 42);
  spdlog::warn("careful");
  ASSERT_EQ(lines_->size(), 2U);
  EXPECT_THAT((*lines_)[0],
              FullyMatches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
                           "info hello 42\n"));
  EXPECT_THAT((*lines_)[1], FullyMatches(".*Z warning careful\n"));
}

TEST_F(LoggingTest, JournaldFormatHasPriorityPrefixOnly) {
  ASSERT_TRUE(Capture("trace", /*journald=*/true).ok());
  spdlog::debug("d");
  spdlog::info("i");
  spdlog::warn("w");
  spdlog::error("e");
  EXPECT_THAT(*lines_, ElementsAre("<7>d\n", "<6>i\n", "<4>w\n", "<3>e\n"));
}

TEST_F(LoggingTest, LevelFiltersMessages) {
  ASSERT_TRUE(Capture("warning", /*journald=*/true).ok());
  spdlog::info("dropped");
  spdlog::warn("kept");
  EXPECT_THAT(*lines_, ElementsAre("<4>kept\n"));
}

TEST_F(LoggingTest, MasksSecretsInEveryLine) {
  RegisterSecret("correct-horse-battery");
  ASSERT_TRUE(Capture("debug", /*journald=*/false).ok());
  spdlog::debug("password={}", "correct-horse-battery");
  spdlog::error("failed: correct-horse-battery was rejected");
  ASSERT_EQ(lines_->size(), 2U);
  for (const std::string& line : *lines_) {
    EXPECT_THAT(line, Not(HasSubstr("correct-horse-battery")));
    EXPECT_THAT(line, HasSubstr("********"));
  }
}

TEST_F(LoggingTest, BadFormatArgumentsDoNotThrow) {
  ASSERT_TRUE(Capture("info", /*journald=*/true).ok());
  EXPECT_NO_THROW(spdlog::info(fmt::runtime("{} {}"), 1));
  spdlog::info("still logging");
  EXPECT_THAT(lines_->back(), "<6>still logging\n");
}

#ifndef _WIN32
// systemd's journal exists on Linux only.

// Points fd 2 at a file for the life of the object.
class StderrToFile {
 public:
  explicit StderrToFile(const std::string& path) : saved_(dup(STDERR_FILENO)) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrToFile() {
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }

 private:
  int saved_;
};

std::string StderrIdentity() {
  struct stat st {};
  fstat(STDERR_FILENO, &st);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

TEST_F(LoggingTest, DetectsJournalFromJournalStream) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "stderr").string();
  {
    StderrToFile redirect(path);
    setenv("JOURNAL_STREAM", StderrIdentity().c_str(), 1);
    ASSERT_TRUE(InitLogging("info").ok());
    spdlog::info("to the journal");
    spdlog::default_logger()->flush();
  }
  EXPECT_EQ(testing::ReadFile(path), "<6>to the journal\n");
  unsetenv("JOURNAL_STREAM");
}

TEST_F(LoggingTest, JournalStreamOfAnotherFileMeansPlainFormat) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "stderr").string();
  {
    StderrToFile redirect(path);
    setenv("JOURNAL_STREAM", "1:1", 1);
    ASSERT_TRUE(InitLogging("info").ok());
    spdlog::info("to a file");
    spdlog::default_logger()->flush();
  }
  EXPECT_THAT(testing::ReadFile(path), MatchesRegex(".*Z info to a file\n"));
  unsetenv("JOURNAL_STREAM");
}
#endif

}  // namespace
}  // namespace guestbackup
