// Where guestbackup and guestbackup-daemon look for each other, in a build tree (side by side)
// and in an installed tree laid out as the packages lay it out (bin/ and libexec/guestbackup/).
#include "lean/platform/install_layout.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;

TEST(InstallLayout, CompiledInPathsLeadFromBinToLibexecAndBack) {
  EXPECT_TRUE(std::string(kDaemonDirFromAgentDir).ends_with("/guestbackup"))
      << kDaemonDirFromAgentDir;
  const std::filesystem::path bin = "/usr/bin";
  EXPECT_EQ((bin / kDaemonDirFromAgentDir / kAgentDirFromDaemonDir).lexically_normal(), bin);
}

TEST(InstallLayout, BuildTreeFindsTheCompanionBesideItself) {
  TempDir dir;
  const std::string agent_dir = (dir.path() / "build" / "agent").string();
  dir.WriteFile("build/agent/guestbackup", "", 0755);
  const std::string daemon = dir.WriteFile("build/agent/guestbackup-daemon", "", 0755);
  EXPECT_EQ(FindCompanion(agent_dir, "guestbackup-daemon", kDaemonDirFromAgentDir), daemon);
  EXPECT_EQ(FindCompanion(agent_dir, "guestbackup", kAgentDirFromDaemonDir),
            agent_dir + "/guestbackup");
}

TEST(InstallLayout, InstalledTreeFindsEachInItsOwnDirectory) {
  TempDir dir;
  const std::string agent = dir.WriteFile("usr/bin/guestbackup", "", 0755);
  const std::string daemon = dir.WriteFile("usr/libexec/guestbackup/guestbackup-daemon", "", 0755);
  EXPECT_EQ(FindCompanion((dir.path() / "usr/bin").string(), "guestbackup-daemon",
                          kDaemonDirFromAgentDir),
            daemon);
  EXPECT_EQ(FindCompanion((dir.path() / "usr/libexec/guestbackup").string(), "guestbackup",
                          kAgentDirFromDaemonDir),
            agent);
}

TEST(InstallLayout, MissingCompanionNamesTheInstalledPlace) {
  TempDir dir;
  const std::string bin = (dir.path() / "usr/bin").string();
  std::filesystem::create_directories(bin);
  EXPECT_EQ(FindCompanion(bin, "guestbackup-daemon", kDaemonDirFromAgentDir),
            (dir.path() / "usr/libexec/guestbackup/guestbackup-daemon").string());
}

TEST(InstallLayout, ADirectoryOfTheSameNameIsNotTheCompanion) {
  TempDir dir;
  const std::string daemon = dir.WriteFile("usr/libexec/guestbackup/guestbackup-daemon", "", 0755);
  std::filesystem::create_directories(dir.path() / "usr/bin/guestbackup-daemon");
  EXPECT_EQ(FindCompanion((dir.path() / "usr/bin").string(), "guestbackup-daemon",
                          kDaemonDirFromAgentDir),
            daemon);
}

TEST(InstallLayout, BundledKopiaIsTheOneInTheDaemonsDirectory) {
  TempDir dir;
  dir.WriteFile("usr/bin/guestbackup", "", 0755);
  dir.WriteFile("usr/bin/kopia", "", 0755);  // kopia's own package: not the bundled one
  const std::string bundled = dir.WriteFile("usr/libexec/guestbackup/kopia", "", 0755);
  EXPECT_EQ(BundledKopia((dir.path() / "usr/bin").string()), bundled);
}

TEST(InstallLayout, NoBundledKopiaWithoutAnExecutableFileThere) {
  TempDir dir;
  const std::string bin = (dir.path() / "usr/bin").string();
  dir.WriteFile("usr/bin/kopia", "", 0755);
  EXPECT_EQ(BundledKopia(bin), "");
  dir.WriteFile("usr/libexec/guestbackup/kopia", "", 0644);
  EXPECT_EQ(BundledKopia(bin), "") << "a file without the execute bit is not run";
  std::filesystem::remove(dir.path() / "usr/libexec/guestbackup/kopia");
  std::filesystem::create_directories(dir.path() / "usr/libexec/guestbackup/kopia");
  EXPECT_EQ(BundledKopia(bin), "") << "a directory is not a binary";
}

TEST(InstallLayout, ExecutableDirectoryIsThisTestBinarysDirectory) {
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(ExecutableDirectory(), self.parent_path().string());
}

}  // namespace
}  // namespace guestbackup::platform
