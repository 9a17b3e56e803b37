// The renames under the restore's last step: moving only onto nothing, swapping two paths,
// replacing a file; nothing at a target is ever lost.
#include "lean/platform/careful_rename.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::ReadFile;
using guestbackup::testing::TempDir;

TEST(CarefulRename, MoveNoReplaceLeavesAnExistingTargetAlone) {
  TempDir dir;
  const std::string from = dir.WriteFile("new", "restored");
  const std::string to = dir.WriteFile("old", "the user's");
  const RenameResult moved = MoveNoReplace(from, to);
  EXPECT_EQ(moved.error, RenameError::kTargetExists) << moved.reason;
  EXPECT_EQ(ReadFile(to), "the user's");
  EXPECT_EQ(ReadFile(from), "restored");
}

TEST(CarefulRename, MoveNoReplaceMovesOntoNothing) {
  TempDir dir;
  const std::string from = dir.WriteFile("new", "restored");
  const std::string to = (dir.path() / "fresh").string();
  ASSERT_TRUE(MoveNoReplace(from, to).ok());
  EXPECT_EQ(ReadFile(to), "restored");
  EXPECT_FALSE(std::filesystem::exists(from));
}

TEST(CarefulRename, ExchangeSwapsTwoFiles) {
  TempDir dir;
  const std::string a = dir.WriteFile("staged", "restored");
  const std::string b = dir.WriteFile("final", "the user's");
  const RenameResult swapped = Exchange(a, b);
  ASSERT_TRUE(swapped.ok()) << swapped.reason;
  EXPECT_EQ(ReadFile(b), "restored");
  EXPECT_EQ(ReadFile(a), "the user's");
}

TEST(CarefulRename, ExchangeSwapsTwoDirectories) {
  TempDir dir;
  dir.WriteFile("staged/file", "restored");
  dir.WriteFile("final/file", "the user's");
  const std::string a = (dir.path() / "staged").string();
  const std::string b = (dir.path() / "final").string();
  ASSERT_TRUE(Exchange(a, b).ok());
  EXPECT_EQ(ReadFile(dir.path() / "final" / "file"), "restored");
  EXPECT_EQ(ReadFile(dir.path() / "staged" / "file"), "the user's");
}

TEST(CarefulRename, ExchangeWithAMissingPathSaysSoAndMovesNothing) {
  TempDir dir;
  const std::string a = dir.WriteFile("staged", "restored");
  const std::string b = (dir.path() / "gone").string();
  EXPECT_EQ(Exchange(a, b).error, RenameError::kMissing);
  EXPECT_EQ(ReadFile(a), "restored");
  EXPECT_FALSE(std::filesystem::exists(b));
}

TEST(CarefulRename, MoveReplacingReplacesAFile) {
  TempDir dir;
  const std::string from = dir.WriteFile("new", "restored");
  const std::string to = dir.WriteFile("old", "the user's");
  ASSERT_TRUE(MoveReplacing(from, to).ok());
  EXPECT_EQ(ReadFile(to), "restored");
}

}  // namespace
}  // namespace guestbackup::platform
