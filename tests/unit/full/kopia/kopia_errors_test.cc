#include "full/kopia/kopia_errors.h"

#include <gtest/gtest.h>

#include <regex>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

using testing::FixturePath;
using testing::ReadFile;

TEST(KopiaErrorsTest, FingerprintMismatchNamesBothFingerprints) {
  const Status s = ClassifyKopiaFailure(
      "connect", ReadFile(FixturePath("kopia/connect-wrong-fingerprint.stderr")));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(std::regex_search(
      s.message(),
      std::regex("^connect: the server's TLS certificate does not match the pinned fingerprint "
                 "\\(pinned 0000[0-9a-f]{60}, server presented [0-9a-f]{64}\\); refusing to "
                 "connect$")))
      << s.message();
}

TEST(KopiaErrorsTest, WrongPasswordIsAnAuthenticationFailure) {
  const Status s =
      ClassifyKopiaFailure("connect", ReadFile(FixturePath("kopia/connect-wrong-password.stderr")));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(),
            "connect: authentication failed (wrong password, or the user is not known to the "
            "server)");
}

TEST(KopiaErrorsTest, RefusedConnectionIsUnreachable) {
  const Status s =
      ClassifyKopiaFailure("connect", ReadFile(FixturePath("kopia/connect-unreachable.stderr")));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(),
            "connect: server unreachable: \"transport: Error while dialing: dial tcp "
            "127.0.0.1:1: connect: connection refused\"");
}

TEST(KopiaErrorsTest, OtherErrorsFailWithTheLastLine) {
  const Status s = ClassifyKopiaFailure("restore", "line one\nkopia: error: something broke\n\n");
  EXPECT_EQ(s.code(), StatusCode::kFailed);
  EXPECT_EQ(s.message(), "restore: something broke");
  EXPECT_EQ(LastErrorLine(""), "kopia printed no error message");
}

}  // namespace
}  // namespace guestbackup::kopia
