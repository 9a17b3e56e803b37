// The daemon's log file: lines appended as written, the file moved aside once past its limit
// with the one before replaced, and writing resumed in a fresh file.
#include "lean/daemon/log_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::daemon {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RotatingLogFileTest, AppendsToWhatIsThereAndCreatesTheDirectory) {
  testing::TempDir dir;
  const auto path = dir.path() / "state" / "service.log";
  {
    RotatingLogFile log(path, 1000);
    log.Write("one\n");
  }
  RotatingLogFile log(path, 1000);
  log.Write("two\n");
  EXPECT_EQ(Read(path), "one\ntwo\n");
}

TEST(RotatingLogFileTest, MovesTheFileAsideOncePastItsLimitKeepingOneOldFile) {
  testing::TempDir dir;
  const auto path = dir.path() / "service.log";
  auto aside = path;
  aside += ".1";
  RotatingLogFile log(path, 10);
  log.Write("aaaaaa\n");  // 7 bytes
  log.Write("bbbbbb\n");  // would pass 10: the first file goes aside
  EXPECT_EQ(Read(aside), "aaaaaa\n");
  EXPECT_EQ(Read(path), "bbbbbb\n");
  log.Write("cccccc\n");
  EXPECT_EQ(Read(aside), "bbbbbb\n");
  EXPECT_EQ(Read(path), "cccccc\n");
}

TEST(RotatingLogFileTest, ALineLongerThanTheLimitIsStillWritten) {
  testing::TempDir dir;
  const auto path = dir.path() / "service.log";
  RotatingLogFile log(path, 4);
  log.Write("a line of twenty-six bytes\n");
  EXPECT_EQ(Read(path), "a line of twenty-six bytes\n");
}

}  // namespace
}  // namespace guestbackup::daemon
