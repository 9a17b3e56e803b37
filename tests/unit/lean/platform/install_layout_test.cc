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

// A path as the library returns it: with the system's separators ('\\' on Windows).
std::string Native(const std::filesystem::path& path) { return path.lexically_normal().string(); }

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
  EXPECT_EQ(FindCompanion(agent_dir, "guestbackup-daemon", kDaemonDirFromAgentDir), Native(daemon));
  EXPECT_EQ(FindCompanion(agent_dir, "guestbackup", kAgentDirFromDaemonDir),
            Native(agent_dir + "/guestbackup"));
}

TEST(InstallLayout, InstalledTreeFindsEachInItsOwnDirectory) {
  TempDir dir;
  const std::string agent = dir.WriteFile("usr/bin/guestbackup", "", 0755);
  const std::string daemon = dir.WriteFile("usr/libexec/guestbackup/guestbackup-daemon", "", 0755);
  EXPECT_EQ(FindCompanion((dir.path() / "usr/bin").string(), "guestbackup-daemon",
                          kDaemonDirFromAgentDir),
            Native(daemon));
  EXPECT_EQ(FindCompanion((dir.path() / "usr/libexec/guestbackup").string(), "guestbackup",
                          kAgentDirFromDaemonDir),
            Native(agent));
}

TEST(InstallLayout, MissingCompanionNamesTheInstalledPlace) {
  TempDir dir;
  const std::string bin = (dir.path() / "usr/bin").string();
  std::filesystem::create_directories(bin);
  EXPECT_EQ(FindCompanion(bin, "guestbackup-daemon", kDaemonDirFromAgentDir),
            Native(dir.path() / "usr/libexec/guestbackup/guestbackup-daemon"));
}

TEST(InstallLayout, ADirectoryOfTheSameNameIsNotTheCompanion) {
  TempDir dir;
  const std::string daemon = dir.WriteFile("usr/libexec/guestbackup/guestbackup-daemon", "", 0755);
  std::filesystem::create_directories(dir.path() / "usr/bin/guestbackup-daemon");
  EXPECT_EQ(FindCompanion((dir.path() / "usr/bin").string(), "guestbackup-daemon",
                          kDaemonDirFromAgentDir),
            Native(daemon));
}

TEST(InstallLayout, BundledKopiaIsTheOneInTheDaemonsDirectory) {
  TempDir dir;
  dir.WriteFile("usr/bin/guestbackup", "", 0755);
  const std::string kopia = std::string("kopia") + kExecutableSuffix;
  dir.WriteFile("usr/bin/" + kopia, "", 0755);  // kopia's own package: not the bundled one
  const std::string bundled = dir.WriteFile("usr/libexec/guestbackup/" + kopia, "", 0755);
  EXPECT_EQ(BundledKopia((dir.path() / "usr/bin").string()), Native(bundled));
}

TEST(InstallLayout, NoBundledKopiaWithoutAnExecutableFileThere) {
  TempDir dir;
  const std::string bin = (dir.path() / "usr/bin").string();
  const std::string kopia = std::string("kopia") + kExecutableSuffix;
  dir.WriteFile("usr/bin/" + kopia, "", 0755);
  EXPECT_EQ(BundledKopia(bin), "");
#ifndef _WIN32  // Windows has no execute bit
  dir.WriteFile("usr/libexec/guestbackup/" + kopia, "", 0644);
  EXPECT_EQ(BundledKopia(bin), "") << "a file without the execute bit is not run";
  std::filesystem::remove(dir.path() / "usr/libexec/guestbackup" / kopia);
#endif
  std::filesystem::create_directories(dir.path() / "usr/libexec/guestbackup" / kopia);
  EXPECT_EQ(BundledKopia(bin), "") << "a directory is not a binary";
}

TEST(InstallLayout, ExecutableDirectoryIsThisTestBinarysDirectory) {
#ifdef _WIN32
  const std::string self = "install_layout_test" + std::string(kExecutableSuffix);
  EXPECT_TRUE(std::filesystem::is_regular_file(std::filesystem::path(ExecutableDirectory()) / self))
      << ExecutableDirectory();
#else
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(ExecutableDirectory(), self.parent_path().string());
#endif
}

}  // namespace
}  // namespace guestbackup::platform
