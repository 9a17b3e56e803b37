#include "lean/process/environment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace guestbackup::process {
namespace {

using ::testing::ElementsAre;

TEST(BuildEnvironmentTest, UnsetsReplacesInPlaceAndAppends) {
  Result<std::vector<std::string>> env = BuildEnvironment(
      {"HOME=/root", "PATH=/bin", "LANG=C", "TERM=xterm"},
      {{"PATH", "/usr/bin"}, {"KOPIA_PASSWORD", "pw"}, {"A", ""}}, {"HOME", "TERM", "NOT_SET"});
  ASSERT_TRUE(env.ok());
  EXPECT_THAT(*env, ElementsAre("PATH=/usr/bin", "LANG=C", "KOPIA_PASSWORD=pw", "A="));
}

TEST(BuildEnvironmentTest, ExtraWinsOverUnsetAndDuplicates) {
  Result<std::vector<std::string>> env =
      BuildEnvironment({"X=1", "Y=2", "X=3"}, {{"X", "new"}, {"X", "newer"}}, {"X"});
  ASSERT_TRUE(env.ok());
  EXPECT_THAT(*env, ElementsAre("Y=2", "X=newer"));

  env = BuildEnvironment({"X=1", "Y=2", "X=3"}, {{"X", "new"}}, {});
  ASSERT_TRUE(env.ok());
  EXPECT_THAT(*env, ElementsAre("X=new", "Y=2"));
}

TEST(BuildEnvironmentTest, RejectsBadNamesAndValues) {
  EXPECT_EQ(BuildEnvironment({}, {{"", "v"}}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildEnvironment({}, {{"A=B", "v"}}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildEnvironment({}, {}, {"A=B"}).status().code(), StatusCode::kInvalidArgument);
  Result<std::vector<std::string>> env =
      BuildEnvironment({}, {{"SECRET", std::string("top\0secret", 10)}}, {});
  EXPECT_EQ(env.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(env.status().message(), "environment variable SECRET contains a NUL byte");
}

TEST(FindVariableTest, FindsByExactName) {
  std::vector<std::string> env = {"PATHX=no", "PATH=/bin:/usr/bin", "EMPTY=", "BARE"};
  EXPECT_EQ(FindVariable(env, "PATH"), "/bin:/usr/bin");
  EXPECT_EQ(FindVariable(env, "EMPTY"), "");
  EXPECT_EQ(FindVariable(env, "BARE"), std::nullopt);
  EXPECT_EQ(FindVariable(env, "PAT"), std::nullopt);
}

}  // namespace
}  // namespace guestbackup::process
