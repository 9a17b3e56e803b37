#include "lean/base/secret_masker.h"

#include <gtest/gtest.h>
#ifndef _WIN32
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <string>
#include <thread>
#include <vector>

namespace guestbackup {
namespace {

class SecretMaskerTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override { ClearSecretsForTesting(); }
};

TEST_F(SecretMaskerTest, NoSecretsLeavesTextAlone) {
  EXPECT_EQ(MaskSecrets("nothing to hide"), "nothing to hide");
  EXPECT_EQ(MaskSecrets(""), "");
}

TEST_F(SecretMaskerTest, MasksEveryOccurrence) {
  RegisterSecret("hunter22");
  EXPECT_EQ(MaskSecrets("hunter22 and hunter22hunter22!"), "******** and ****************!");
}

TEST_F(SecretMaskerTest, IgnoresSecretsShorterThanFourBytes) {
  RegisterSecret("");
  RegisterSecret("abc");
  RegisterSecret("abcd");
  EXPECT_EQ(MaskSecrets("abc abcd"), "abc ********");
}

TEST_F(SecretMaskerTest, LongestSecretWinsWhereTwoStartTogether) {
  RegisterSecret("pass");
  RegisterSecret("password-1234");
  EXPECT_EQ(MaskSecrets("password-1234 pass passw"), "******** ******** ********w");
}

TEST_F(SecretMaskerTest, MaskIsNotMaskedAgain) {
  RegisterSecret("****");
  RegisterSecret("s3cr3t-value");
  EXPECT_EQ(MaskSecrets("s3cr3t-value"), "********");
  EXPECT_EQ(MaskSecrets("a****b"), "a********b");
}

TEST_F(SecretMaskerTest, RegisteringTwiceIsHarmless) {
  RegisterSecret("twice-secret");
  RegisterSecret("twice-secret");
  EXPECT_EQ(MaskSecrets("[twice-secret]"), "[********]");
}

TEST_F(SecretMaskerTest, SecretAtEndOfTextAndPartialMatch) {
  RegisterSecret("tail-secret");
  EXPECT_EQ(MaskSecrets("x tail-secre"), "x tail-secre");
  EXPECT_EQ(MaskSecrets("x tail-secret"), "x ********");
}

TEST_F(SecretMaskerTest, ClearForgetsSecrets) {
  RegisterSecret("forget-me");
  ClearSecretsForTesting();
  EXPECT_EQ(MaskSecrets("forget-me"), "forget-me");
}

TEST_F(SecretMaskerTest, ConcurrentRegisterAndMask) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        std::string secret = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        RegisterSecret(secret);
        EXPECT_EQ(MaskSecrets("<" + secret + ">"), "<********>");
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

}  // namespace
}  // namespace guestbackup

namespace guestbackup {
namespace {

#ifndef _WIN32
// After a secret is registered, a crash writes no core file with it: not this process (not
// dumpable) and not a child that inherits it (core limit 0). Checked in a child process, so
// the test binary itself keeps its settings. (Windows writes no core files.)
TEST(SecretCoreDumpTest, ARegisteredSecretTurnsCoreDumpsOff) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RegisterSecret("correct horse battery staple");
    struct rlimit core {};
    getrlimit(RLIMIT_CORE, &core);
    _exit(prctl(PR_GET_DUMPABLE) == 0 && core.rlim_cur == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the process is still dumpable or may write a core";
}
#endif

}  // namespace
}  // namespace guestbackup
