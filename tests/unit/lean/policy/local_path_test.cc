// The agent's path rules: one spelling per directory, ".." refused in the policy and resolved
// for restores, containment by whole names — Linux's rules here, Windows's under wine.
#include "lean/policy/local_path.h"

#include <gtest/gtest.h>

namespace guestbackup::policy {
namespace {

std::string Normal(std::string_view path, DotDot dot_dot = DotDot::kRefused) {
  Result<std::string> normal = NormalizePath(path, dot_dot);
  return normal.ok() ? *normal : "error: " + normal.status().message();
}

#if defined(_WIN32)
TEST(LocalPath, WindowsPathsHaveOneSpelling) {
  EXPECT_EQ(Normal("c:/Users\\me\\"), "C:\\Users\\me");
  EXPECT_EQ(Normal("D:\\data\\.\\x"), "D:\\data\\x");
  EXPECT_EQ(Normal("C:\\"), "C:\\");
  EXPECT_EQ(Normal("C:\\a\\b\\..\\c", DotDot::kResolved), "C:\\a\\c");
  EXPECT_EQ(Normal("C:\\..\\..", DotDot::kResolved), "C:\\");
}

TEST(LocalPath, WindowsRefusesRelativeUncAndDevicePaths) {
  EXPECT_EQ(Normal(R"(Users\me)"),
            R"(error: "Users\me" is not an absolute path (such as C:\Users))");
  EXPECT_EQ(Normal("C:relative"),
            R"(error: "C:relative" is not an absolute path (such as C:\Users))");
  EXPECT_EQ(Normal(R"(\\server\share\x)"),
            R"(error: "\\server\share\x" is a network (UNC) or device path; give a path on one )"
            R"(of this machine's drives, such as C:\Users)");
  EXPECT_EQ(Normal(R"(\\?\C:\x)").rfind("error: ", 0), 0u);
  EXPECT_EQ(Normal(R"(C:\a\..\b)"), R"(error: ".." is not allowed in a path ("C:\a\..\b"))");
}

TEST(LocalPath, WindowsContainmentIgnoresCase) {
  EXPECT_TRUE(PathIsWithin("C:\\USERS\\Me\\file.txt", "C:\\Users\\me"));
  EXPECT_TRUE(PathIsWithin("C:\\Users", "C:\\Users"));
  EXPECT_FALSE(PathIsWithin("C:\\Usersx\\a", "C:\\Users"));
  EXPECT_TRUE(PathIsWithin("C:\\x", "C:\\"));
  EXPECT_EQ(RelativeEntryPath("C:\\Users\\me\\docs\\a.txt", "C:\\Users"), "me/docs/a.txt");
  EXPECT_EQ(RelativeEntryPath("C:\\x\\y", "C:\\"), "x/y");
}
#else
TEST(LocalPath, LinuxPathsHaveOneSpelling) {
  EXPECT_EQ(Normal("/srv//data/./x/"), "/srv/data/x");
  EXPECT_EQ(Normal("/"), "/");
  EXPECT_EQ(Normal("/a/b/../c", DotDot::kResolved), "/a/c");
  EXPECT_EQ(Normal("/../..", DotDot::kResolved), "/");
  EXPECT_EQ(Normal("srv"), "error: \"srv\" is not an absolute path");
  EXPECT_EQ(Normal("/a/../b"), "error: \"..\" is not allowed in a path (\"/a/../b\")");
}

TEST(LocalPath, LinuxContainmentIsByWholeNamesAndCase) {
  EXPECT_TRUE(PathIsWithin("/srv/db/table", "/srv/db"));
  EXPECT_FALSE(PathIsWithin("/srv/dbx", "/srv/db"));
  EXPECT_FALSE(PathIsWithin("/SRV/db", "/srv/db"));
  EXPECT_TRUE(PathIsWithin("/etc", "/"));
  EXPECT_EQ(RelativeEntryPath("/etc/nginx/nginx.conf", "/etc"), "nginx/nginx.conf");
  EXPECT_EQ(RelativeEntryPath("/etc/x", "/"), "etc/x");
  EXPECT_EQ(RelativeEntryPath("/etc", "/etc"), "");
}
#endif

TEST(LocalPath, ANulByteIsRefused) {
  EXPECT_EQ(NormalizePath(std::string_view("/a\0b", 4)).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace guestbackup::policy
