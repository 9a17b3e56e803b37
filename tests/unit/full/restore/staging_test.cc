// A restore killed with SIGKILL leaves its staging directory; the next restore or run removes
// it, never one whose restore still runs, and never anything a record was edited to name.
// The restored copy never replaces a file that appeared during the restore.
#include "full/restore/staging.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "full/restore/restorer.h"
#include "support/temp_dir.h"

namespace guestbackup::restore {
namespace {

namespace fs = std::filesystem;
using guestbackup::testing::ReadFile;
using guestbackup::testing::TempDir;

// A child that creates a staging directory with a file in it and dies without cleaning up,
// as `kill -9` would leave it; returns the directory's path.
std::string StagingOfADeadRestore(const TempDir& dest, const TempDir& state) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    auto staging = StagingDir::Create(dest.path().string(), state.path().string());
    if (!staging.ok()) _exit(1);
    const std::string path = (*staging)->path();
    { std::ofstream((*staging)->path() + "/big") << std::string(4096, 'x'); }
    (void)write(pipe_fds[1], path.data(), path.size());
    _exit(0);  // no destructor runs: the directory and its record stay
  }
  close(pipe_fds[1]);
  char buffer[4096];
  const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
}

TEST(Staging, ADeadRestoresDirectoryIsRemovedALiveOneKept) {
  TempDir dest;
  TempDir state;
  const std::string dead = StagingOfADeadRestore(dest, state);
  ASSERT_TRUE(fs::exists(dead + "/big")) << dead;
  EXPECT_TRUE(fs::path(dead).filename().string().starts_with(".guestbackup-restore-"));

  auto live = StagingDir::Create(dest.path().string(), state.path().string());
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(RemoveStaleStaging(state.path().string()), 1);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists((*live)->path()));
  const std::string live_path = (*live)->path();
  live->reset();  // a restore that ends removes its own
  EXPECT_FALSE(fs::exists(live_path));
  EXPECT_TRUE(fs::is_empty(state.path() / "restore-staging"));
}

TEST(Staging, ARecordNamingAnythingButAStagingDirectoryRemovesNothing) {
  TempDir dest;
  TempDir state;
  const std::string keep = dest.WriteFile("precious/data", "keep me\n");
  fs::create_directories(state.path() / "restore-staging");
  state.WriteFile("restore-staging/.guestbackup-restore-forged",
                  (dest.path() / "precious").string());
  EXPECT_EQ(RemoveStaleStaging(state.path().string()), 0);
  EXPECT_EQ(ReadFile(keep), "keep me\n");
  EXPECT_TRUE(fs::is_empty(state.path() / "restore-staging"));  // the forged record is dropped
}

TEST(MoveIntoPlace, AFileThatAppearedDuringTheRestoreIsNeverReplaced) {
  TempDir dir;
  const std::string staged = dir.WriteFile("staged", "restored\n");
  const std::string final_path = dir.WriteFile("notes.txt", "written meanwhile\n");
  const Status s = MoveIntoPlace(staged, final_path, /*exists=*/false, /*overwrite=*/false);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), final_path +
                             " appeared while restoring and was left as it is; pass --overwrite "
                             "to replace it, or --to DIR to restore beside it");
  EXPECT_EQ(ReadFile(final_path), "written meanwhile\n");
  EXPECT_EQ(ReadFile(staged), "restored\n");

  EXPECT_TRUE(MoveIntoPlace(staged, final_path, false, /*overwrite=*/true).ok());
  EXPECT_EQ(ReadFile(final_path), "restored\n");
}

TEST(MoveIntoPlace, OverwriteSwapsAndAVanishedTargetIsStillFilled) {
  TempDir dir;
  const std::string staged = dir.WriteFile("staged", "new\n");
  const std::string final_path = dir.WriteFile("f", "old\n");
  ASSERT_TRUE(MoveIntoPlace(staged, final_path, true, true).ok());
  EXPECT_EQ(ReadFile(final_path), "new\n");
  EXPECT_EQ(ReadFile(staged), "old\n");  // the old copy, for the caller to remove
  fs::remove(final_path);                // deleted while restoring
  ASSERT_TRUE(MoveIntoPlace(staged, final_path, true, true).ok());
  EXPECT_EQ(ReadFile(final_path), "old\n");
}

}  // namespace
}  // namespace guestbackup::restore
