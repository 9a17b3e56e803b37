// The lock under PidLock and the restore's staging records, on Linux (flock) and Windows
// (LockFileEx): one holder at a time even within a process, the content readable to the one
// refused, and a file removed while still locked.
#include "lean/platform/locked_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;
using Create = LockedFile::Create;
using Wait = LockedFile::Wait;

TEST(LockedFile, ASecondOpenerGetsNoLockWhileTheFirstHoldsIt) {
  TempDir dir;
  const std::string path = (dir.path() / "record").string();
  auto first = LockedFile::Open(path, Create::kIfMissing, Wait::kNo);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_NE(*first, nullptr);
  ASSERT_TRUE((*first)->Replace("held by the first").ok());

  auto second = LockedFile::Open(path, Create::kIfMissing, Wait::kNo);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, nullptr);
  EXPECT_EQ(ReadLockedFileNote(path, 64), "held by the first");

  first->reset();
  auto third = LockedFile::Open(path, Create::kNever, Wait::kNo);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  ASSERT_NE(*third, nullptr);
  Result<std::string> text = (*third)->Read(64);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "held by the first");
}

TEST(LockedFile, ReplaceDropsTheOldContentAndReadKeepsToItsLimit) {
  TempDir dir;
  auto file = LockedFile::Open((dir.path() / "f").string(), Create::kIfMissing, Wait::kYes);
  ASSERT_TRUE(file.ok() && *file != nullptr);
  ASSERT_TRUE((*file)->Replace("a long first text").ok());
  ASSERT_TRUE((*file)->Replace("short").ok());
  EXPECT_EQ(*(*file)->Read(5), "short");
  const Result<std::string> too_long = (*file)->Read(4);
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
}

TEST(LockedFile, AMissingFileIsNotFoundWhenItMayNotBeCreated) {
  TempDir dir;
  const std::string path = (dir.path() / "absent").string();
  const auto opened = LockedFile::Open(path, Create::kNever, Wait::kNo);
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(LockedFile, RemovedWhileHeldTheNameIsGoneOnceReleased) {
  TempDir dir;
  const std::string path = (dir.path() / "record").string();
  {
    auto file = LockedFile::Open(path, Create::kIfMissing, Wait::kNo);
    ASSERT_TRUE(file.ok() && *file != nullptr);
    (*file)->Remove();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace guestbackup::platform
