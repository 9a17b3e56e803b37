#include "full/kopia/password_hash.h"

#include <gtest/gtest.h>

namespace guestbackup::kopia {
namespace {

// Reference value computed independently: base64 of the JSON kopia's internal/user writes,
// scrypt(N=65536, r=8, p=1) of "user-pass" with salt bytes 0..31.
TEST(PasswordHashTest, MatchesKopiasFormatForAKnownSalt) {
  std::string salt;
  for (int i = 0; i < 32; ++i) salt.push_back(static_cast<char>(i));
  auto h = HashUserPasswordWithSalt("user-pass", salt);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h,
            "eyJwYXNzd29yZEhhc2hWZXJzaW9uIjoxLCJwYXNzd29yZEhhc2giOiJBQUVDQXdRRkJnY0lDUW9MREEwT0"
            "R4QVJFaE1VRlJZWEdCa2FHeHdkSGgrbnhGNUlKMDNNc0JoMjE3SU5kRkh3NnNTNlcvSDFwMms2S1JoNDFm"
            "K24wdz09In0=");
}

TEST(PasswordHashTest, RandomSaltsDiffer) {
  auto a = HashUserPassword("same");
  auto b = HashUserPassword("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHashTest, RejectsShortSalt) {
  EXPECT_EQ(HashUserPasswordWithSalt("x", "short").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace guestbackup::kopia
