// ProcessResult::Describe() and FormatCommandLine(): exact texts, as they appear in logs.
#include <gtest/gtest.h>

#include "lean/base/secret_masker.h"
#include "lean/process/process.h"

namespace guestbackup::process {
namespace {

using std::chrono::milliseconds;

TEST(DescribeTest, Texts) {
  ProcessResult r;
  EXPECT_EQ(r.Describe(), "not started");
  r.exited = true;
  r.exit_code = 3;
  EXPECT_EQ(r.Describe(), "exit code 3");
  r.exited = false;
  r.term_signal = 9;
  EXPECT_EQ(r.Describe(), "killed by signal 9");
  r.timed_out = true;
  r.timeout = milliseconds(30000);
  EXPECT_EQ(r.Describe(), "timed out after 30s (killed)");
  r.timeout = milliseconds(250);
  EXPECT_EQ(r.Describe(), "timed out after 250ms (killed)");
  r.exited = true;
  r.exit_code = 143;
  EXPECT_EQ(r.Describe(), "timed out after 250ms (exit code 143)");
  r.timed_out = false;
  r.cancelled = true;
  EXPECT_EQ(r.Describe(), "cancelled");
}

class FormatCommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override { ClearSecretsForTesting(); }
};

TEST_F(FormatCommandLineTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(FormatCommandLine({"kopia", "snapshot", "create", "--tags=a:b,c", "/home/user_1"}),
            "kopia snapshot create --tags=a:b,c /home/user_1");
  EXPECT_EQ(FormatCommandLine({"/bin/sh", "-c", "echo $HOME; ls *", "", "it's"}),
            "/bin/sh -c 'echo $HOME; ls *' '' 'it'\\''s'");
  EXPECT_EQ(FormatCommandLine({}), "");
}

TEST_F(FormatCommandLineTest, MasksSecretsEvenWhenQuotingWouldChangeThem) {
  RegisterSecret("s3cr3t-token");
  RegisterSecret("pa'ss word");
  EXPECT_EQ(FormatCommandLine({"kopia", "--password=s3cr3t-token", "pa'ss word"}),
            "kopia '--password=********' '********'");
}

}  // namespace
}  // namespace guestbackup::process
