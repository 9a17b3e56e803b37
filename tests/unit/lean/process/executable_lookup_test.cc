#include "lean/process/executable_lookup.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace guestbackup::process {
namespace {

using guestbackup::testing::TempDir;

TEST(FindExecutableTest, NameWithSlashIsUsedAsIs) {
  Result<std::string> path = LocateExecutable("./tool", "/nonexistent");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "./tool");
}

TEST(FindExecutableTest, FirstExecutableMatchWins) {
  TempDir dir;
  dir.WriteFile("a/tool", "#!/bin/sh\n", 0644);  // not executable: skipped
  dir.WriteFile("b/tool/x", "");                 // a directory named tool: skipped
  std::string expected = dir.WriteFile("c/tool", "#!/bin/sh\n", 0755);
  dir.WriteFile("d/tool", "#!/bin/sh\n", 0755);
  std::string root = dir.path().string();
  std::string path_list = ":relative:" + root + "/a:" + root + "/b/:" + root + "/c:" + root + "/d";
  Result<std::string> path = LocateExecutable("tool", path_list);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, expected);
}

TEST(FindExecutableTest, OnlyNonExecutableMatchIsPermissionDenied) {
  TempDir dir;
  std::string file = dir.WriteFile("bin/tool", "#!/bin/sh\n", 0644);
  Result<std::string> path = LocateExecutable("tool", (dir.path() / "bin").string());
  EXPECT_EQ(path.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(path.status().message(), "tool: " + file + " is not executable");
}

TEST(FindExecutableTest, NotFoundMessage) {
  Result<std::string> path = LocateExecutable("kopia", "/nonexistent:/also-not");
  EXPECT_EQ(path.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(path.status().message(), "kopia: executable not found on PATH");
}

}  // namespace
}  // namespace guestbackup::process
