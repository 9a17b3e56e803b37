// The small file-system seams: which file a path names (FileIdentity), new directories with
// unique names, this machine's name and the default places of the policy and the state.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "lean/platform/file_identity.h"
#include "lean/platform/host_name.h"
#include "lean/platform/system_paths.h"
#include "lean/platform/unique_directory.h"
#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

namespace fs = std::filesystem;
using guestbackup::testing::TempDir;

TEST(FileIdentity, StaysWithTheFileAndChangesWhenItIsReplaced) {
  TempDir dir;
  const std::string path = dir.WriteFile("history.db", "first");
  const std::uint64_t first = FileIdentity(path);
  EXPECT_NE(first, 0u);
  fs::rename(path, (dir.path() / "moved").string());
  EXPECT_EQ(FileIdentity((dir.path() / "moved").string()), first);
  EXPECT_EQ(FileIdentity(path), 0u);
  dir.WriteFile("history.db", "second");
  EXPECT_NE(FileIdentity(path), first);
}

TEST(UniqueDirectory, EachCallCreatesANewDirectoryWithThePrefix) {
  TempDir dir;
  const std::string prefix = (dir.path() / ".guestbackup-restore-").string();
  std::set<std::string> made;
  for (int i = 0; i < 20; ++i) {
    Result<std::string> path = CreateUniqueDirectory(prefix);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_TRUE(path->starts_with(prefix)) << *path;
    EXPECT_EQ(path->size(), prefix.size() + 6);
    EXPECT_TRUE(fs::is_directory(*path));
    made.insert(*path);
  }
  EXPECT_EQ(made.size(), 20u);
}

TEST(UniqueDirectory, AMissingParentIsAnErrorNamingIt) {
  TempDir dir;
  const Result<std::string> path = CreateUniqueDirectory((dir.path() / "absent" / "x-").string());
  EXPECT_EQ(path.status().code(), StatusCode::kIo);
  EXPECT_NE(path.status().message().find("absent"), std::string::npos) << path.status().message();
}

TEST(HostName, IsTheMachinesName) { EXPECT_FALSE(HostName().empty()); }

#if defined(_WIN32)
TEST(SystemPaths, AreUnderProgramData) {
  const char* program_data_env = std::getenv("ProgramData");
  ASSERT_NE(program_data_env, nullptr);
  const std::string program_data = program_data_env;
  EXPECT_EQ(DefaultPolicyPath(), program_data + "\\guestbackup\\policy.yaml");
  EXPECT_EQ(DefaultStateDir(), program_data + "\\guestbackup\\state");
}
#else
TEST(SystemPaths, AreTheFhsPlaces) {
  EXPECT_EQ(DefaultPolicyPath(), "/etc/guestbackup/policy.yaml");
  EXPECT_EQ(DefaultStateDir(), "/var/lib/guestbackup");
}
#endif

}  // namespace
}  // namespace guestbackup::platform
