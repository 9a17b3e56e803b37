// Where guestbackup and guestbackup-daemon look for each other, in a build tree (side by side)
// and in an installed tree laid out as the packages lay it out: bin/ and libexec/guestbackup/
// on Linux, one folder on Windows (the msi's).
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

// The installed daemon's directory in a tree whose agent is in `bin`.
std::filesystem::path DaemonDirOf(const std::filesystem::path& bin) {
  return (bin / kDaemonDirFromAgentDir).lexically_normal();
}

#if defined(_WIN32)
TEST(InstallLayout, CompiledInPathsKeepEverythingInOneFolder) {
  EXPECT_STREQ(kDaemonDirFromAgentDir, ".");
  EXPECT_STREQ(kAgentDirFromDaemonDir, ".");
}
#else
TEST(InstallLayout, CompiledInPathsLeadFromBinToLibexecAndBack) {
  EXPECT_TRUE(std::string(kDaemonDirFromAgentDir).ends_with("/guestbackup"))
      << kDaemonDirFromAgentDir;
  const std::filesystem::path bin = "/usr/bin";
  EXPECT_EQ((bin / kDaemonDirFromAgentDir / kAgentDirFromDaemonDir).lexically_normal(), bin);
}
#endif

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
  const std::filesystem::path bin = dir.path() / "usr" / "bin";
  const std::string agent = dir.WriteFile("usr/bin/guestbackup", "", 0755);
  const std::filesystem::path daemon = DaemonDirOf(bin) / "guestbackup-daemon";
  std::filesystem::create_directories(daemon.parent_path());
  dir.WriteFile(std::filesystem::relative(daemon, dir.path()).string(), "", 0755);
  EXPECT_EQ(FindCompanion(bin.string(), "guestbackup-daemon", kDaemonDirFromAgentDir),
            Native(daemon));
  EXPECT_EQ(FindCompanion(DaemonDirOf(bin).string(), "guestbackup", kAgentDirFromDaemonDir),
            Native(agent));
}

TEST(InstallLayout, MissingCompanionNamesTheInstalledPlace) {
  TempDir dir;
  const std::filesystem::path bin = dir.path() / "usr" / "bin";
  std::filesystem::create_directories(bin);
  EXPECT_EQ(FindCompanion(bin.string(), "guestbackup-daemon", kDaemonDirFromAgentDir),
            Native(DaemonDirOf(bin) / "guestbackup-daemon"));
}

#if !defined(_WIN32)  // one folder on Windows: the place beside is the installed place
TEST(InstallLayout, ADirectoryOfTheSameNameIsNotTheCompanion) {
  TempDir dir;
  const std::string daemon = dir.WriteFile("usr/libexec/guestbackup/guestbackup-daemon", "", 0755);
  std::filesystem::create_directories(dir.path() / "usr/bin/guestbackup-daemon");
  EXPECT_EQ(FindCompanion((dir.path() / "usr/bin").string(), "guestbackup-daemon",
                          kDaemonDirFromAgentDir),
            Native(daemon));
}
#endif

TEST(InstallLayout, BundledKopiaIsTheOneInTheDaemonsDirectory) {
  TempDir dir;
  const std::filesystem::path bin = dir.path() / "usr" / "bin";
  dir.WriteFile("usr/bin/guestbackup", "", 0755);
  const std::string kopia = std::string("kopia") + kExecutableSuffix;
#if !defined(_WIN32)
  dir.WriteFile("usr/bin/" + kopia, "", 0755);  // kopia's own package: not the bundled one
#endif
  const std::filesystem::path bundled = DaemonDirOf(bin) / kopia;
  std::filesystem::create_directories(bundled.parent_path());
  dir.WriteFile(std::filesystem::relative(bundled, dir.path()).string(), "", 0755);
  EXPECT_EQ(BundledKopia(bin.string()), Native(bundled));
}

TEST(InstallLayout, NoBundledKopiaWithoutAnExecutableFileThere) {
  TempDir dir;
  const std::filesystem::path bin = dir.path() / "usr" / "bin";
  std::filesystem::create_directories(bin);
  const std::string kopia = std::string("kopia") + kExecutableSuffix;
  const std::filesystem::path bundled = DaemonDirOf(bin) / kopia;
  EXPECT_EQ(BundledKopia(bin.string()), "");
#ifndef _WIN32  // Windows has no execute bit, and kopia's own package is not in its folder
  dir.WriteFile("usr/bin/" + kopia, "", 0755);
  EXPECT_EQ(BundledKopia(bin.string()), "") << "kopia's own package's binary is not bundled";
  dir.WriteFile("usr/libexec/guestbackup/" + kopia, "", 0644);
  EXPECT_EQ(BundledKopia(bin.string()), "") << "a file without the execute bit is not run";
  std::filesystem::remove(bundled);
#endif
  std::filesystem::create_directories(bundled);
  EXPECT_EQ(BundledKopia(bin.string()), "") << "a directory is not a binary";
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
