// Hostile and unlucky policy files end in one clear error, quickly and in little memory: alias
// bombs, too many values, deep nesting, a second document, huge lines, floods of errors, huge
// files, FIFOs and devices, and a password file given as the policy. (Time and memory of the
// bombs are printed by bench/policy, never asserted here.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "lean/policy/policy_loader.h"
#include "support/temp_dir.h"
#include "unit/lean/policy/check_policy.h"

namespace guestbackup::policy {
namespace {

// One anchor of `items` excludes aliased by `jobs` jobs.
std::string AliasBomb(int items, int jobs) {
  std::string text = "version: 1\ndefaults: {}\nx: &e [";
  for (int i = 0; i < items; ++i) text += (i ? ",p" : "p") + std::to_string(i);
  text += "]\njobs:\n";
  for (int j = 0; j < jobs; ++j) {
    text += "  j" + std::to_string(j) + ":\n    paths: [/srv/" + std::to_string(j) +
            "]\n    exclude: *e\n";
  }
  return text;
}

TEST(PolicyBounds, AnAliasBombIsOneErrorAtTheAliasThatCrossesTheBudget) {
  const LoadResult r = LoadPolicyText(AliasBomb(100'000, 3'000), "policy.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].line, 10);  // the second job's alias: 3 x 100k values
  EXPECT_EQ(r.diagnostics[0].message,
            "more than 250000 values (aliases counted as often as they are used); no policy "
            "needs that many");
  EXPECT_FALSE(r.policy.has_value());
}

TEST(PolicyBounds, AFewReusedAnchorsAreFine) {
  const LoadResult r = LoadPolicyText(AliasBomb(50, 100), "policy.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);  // only `x`, an unknown key
  EXPECT_EQ(r.diagnostics[0].key_path, "x");
}

TEST(PolicyBounds, DeepNestingAndASecondDocumentSayWhatTheyAre) {
  const std::string deep =
      std::string(kHead) + "x: " + std::string(100'000, '[') + std::string(100'000, ']') + "\n";
  const LoadResult nested = LoadPolicyText(deep, "policy.yaml");
  ASSERT_EQ(nested.diagnostics.size(), 1u);
  EXPECT_EQ(nested.diagnostics[0].message, "nested deeper than 32 levels");
  EXPECT_EQ(nested.diagnostics[0].line, 5);
  // The long line is shown around the column, not whole.
  EXPECT_LE(nested.diagnostics[0].source_line.size(), kShownColumns + 6);

  EXPECT_EQ(Check(std::string(kHead) + "---\nversion: 1\n"),
            "policy.yaml:5:1: a second YAML document (after \"---\"); a policy is one "
            "document, and nothing after the first would be read\n"
            "    5 | ---\n"
            "      | ^\n");
}

TEST(PolicyBounds, ALongLineIsShownAroundTheColumnOnly) {
  const std::string text =
      std::string(kHead) + "    exclude: [" + std::string(1'000'000, 'a') + ", 7: x]\n";
  const LoadResult r = LoadPolicyText(text, "policy.yaml");
  ASSERT_FALSE(r.diagnostics.empty());
  const std::string shown = FormatDiagnostic(r.diagnostics[0]);
  EXPECT_LT(shown.size(), 2 * kShownColumns + 200) << shown.substr(0, 300);
  EXPECT_NE(shown.find("..."), std::string::npos);
}

TEST(PolicyBounds, AFloodOfErrorsKeepsTheFirstFiftyAndCountsTheRest) {
  std::string text = std::string(kHead);
  for (int i = 0; i < 2'000; ++i) text += "bad" + std::to_string(i) + ": 1\n";
  const LoadResult r = LoadPolicyText(text, "policy.yaml");
  EXPECT_EQ(r.diagnostics.size(), kMaxDiagnostics);
  EXPECT_EQ(r.more, 2'000 - kMaxDiagnostics);
  const std::string all = FormatDiagnostics(r);
  EXPECT_TRUE(all.ends_with("\n... and 1950 more errors")) << all.substr(all.size() - 100);
}

TEST(PolicyBounds, AFileLargerThanFourMiBIsNotRead) {
  testing::TempDir dir;
  const std::string path =
      dir.WriteFile("policy.yaml", std::string(kHead) + "#" + std::string(5 << 20, 'x') + "\n");
  const LoadResult r = LoadPolicyFile(path);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            path + ":0:0: larger than 4 MiB; no policy is that large");
}

#ifndef _WIN32
// FIFOs and devices exist on Linux only (bounded_read_test covers a directory everywhere).
TEST(PolicyBounds, AFifoADeviceAndADirectoryAreRefusedWithoutReading) {
  testing::TempDir dir;
  const std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);  // nobody writes: a blocking read would hang
  const std::pair<std::string, std::string> cases[] = {
      {fifo, "a FIFO"}, {"/dev/zero", "a character device"}, {dir.path().string(), "a directory"}};
  for (const auto& [path, kind] : cases) {
    const LoadResult r = LoadPolicyFile(path);
    ASSERT_EQ(r.diagnostics.size(), 1u) << path;
    EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]), path + ":0:0: not a regular file (" + kind + ")");
  }
}
#endif

// A password file given as --policy by mistake: the error says where, never what.
TEST(PolicyBounds, AFileThatIsNotAPolicyIsNeverEchoed) {
  const std::string shown = Check("hunter2-correct-horse\n");
  EXPECT_EQ(shown,
            "policy.yaml:1:1: expected a mapping of keys such as \"version\" and "
            "\"jobs\"\n");
  EXPECT_EQ(shown.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace guestbackup::policy
