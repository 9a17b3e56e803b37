// Untrusted files are read only when regular, never blocking, and to a limit whatever their
// size claims.
#include "lean/platform/bounded_read.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;

TEST(BoundedRead, ReadsAFileUpToAndIncludingTheLimit) {
  TempDir dir;
  const std::string path = dir.WriteFile("f", std::string(100, 'x'), 0600);
  EXPECT_EQ(ReadRegularFile(path, 100).value(), std::string(100, 'x'));
  const Result<std::string> over = ReadRegularFile(path, 99);
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(over.status().message(), "larger than 99 bytes");
}

#ifndef _WIN32
// FIFOs, devices and /proc exist on Linux only; Windows opens none of them by a file name.
TEST(BoundedRead, RefusesWhatIsNotARegularFileWithoutBlocking) {
  TempDir dir;
  const std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);  // nobody writes: a blocking open would hang
  EXPECT_EQ(ReadRegularFile(fifo, 10).status().message(), "not a regular file (a FIFO)");
  EXPECT_EQ(ReadRegularFile("/dev/zero", 10).status().message(),
            "not a regular file (a character device)");
}

TEST(BoundedRead, AFileWhoseSizeLiesStopsOneBytePastTheLimit) {
  const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);  // st_size 0, gigabytes
  ASSERT_GE(fd, 0);
  const Result<std::string> read = ReadAtMost(fd, std::size_t{64} * 1024);
  close(fd);
  EXPECT_EQ(read.status().message(), "larger than 64 KiB");
}
#endif

TEST(BoundedRead, RefusesADirectoryAndNamesAMissingFile) {
  TempDir dir;
  EXPECT_EQ(ReadRegularFile(dir.path().string(), 10).status().message(),
            "not a regular file (a directory)");
  const Result<std::string> missing = ReadRegularFile((dir.path() / "none").string(), 10);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "cannot read: No such file or directory");
}

TEST(BoundedRead, NamesLimitsInTheirLargestWholeUnit) {
  EXPECT_EQ(ByteLimitText(std::size_t{4} << 20), "4 MiB");
  EXPECT_EQ(ByteLimitText(std::size_t{64} << 10), "64 KiB");
  EXPECT_EQ(ByteLimitText(1000), "1000 bytes");
}

}  // namespace
}  // namespace guestbackup::platform
