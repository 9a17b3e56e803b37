// The CA bundle a webhook without ca_file trusts: the first bundle file that exists, none
// when $SSL_CERT_FILE chose one, and never a directory or a dangling link.
#include "full/status/system_ca.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace guestbackup::status {
namespace {

class SystemCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* set = std::getenv("SSL_CERT_FILE")) saved_ = set;
    unsetenv("SSL_CERT_FILE");
  }
  void TearDown() override {
    if (saved_.empty()) {
      unsetenv("SSL_CERT_FILE");
    } else {
      setenv("SSL_CERT_FILE", saved_.c_str(), 1);
    }
  }

  testing::TempDir dir_;
  std::string saved_;
};

TEST_F(SystemCaTest, TheFirstBundleFileThatExistsIsChosen) {
  const std::string rhel = dir_.WriteFile("pki/tls/certs/ca-bundle.crt", "PEM");
  const std::string suse = dir_.WriteFile("ssl/ca-bundle.pem", "PEM");
  const std::string debian = (dir_.path() / "ssl/certs/ca-certificates.crt").string();
  const std::vector<std::string_view> candidates = {debian, rhel, suse};
  EXPECT_EQ(SystemCaBundle(candidates), rhel);
}

TEST_F(SystemCaTest, ALinkToABundleCountsAndADirectoryOrADanglingLinkDoesNot) {
  const std::string dangling = (dir_.path() / "dangling.pem").string();
  ASSERT_EQ(symlink("/nonexistent/bundle.pem", dangling.c_str()), 0);
  const std::string directory = (dir_.path() / "certs").string();
  std::filesystem::create_directory(directory);
  const std::string target = dir_.WriteFile("extracted/tls-ca-bundle.pem", "PEM");
  const std::string link = (dir_.path() / "cert.pem").string();
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  const std::vector<std::string_view> candidates = {dangling, directory, link};
  EXPECT_EQ(SystemCaBundle(candidates), link);
}

TEST_F(SystemCaTest, NoneWhenNoBundleExists) {
  const std::string missing = (dir_.path() / "missing.pem").string();
  EXPECT_EQ(SystemCaBundle(std::vector<std::string_view>{missing}), "");
}

TEST_F(SystemCaTest, NoneWhenSslCertFileChoseTheBundle) {
  const std::string bundle = dir_.WriteFile("ca-bundle.crt", "PEM");
  setenv("SSL_CERT_FILE", "/etc/chosen.pem", 1);
  EXPECT_EQ(SystemCaBundle(std::vector<std::string_view>{bundle}), "");
}

TEST_F(SystemCaTest, TheListNamesTheBundlesOfEachFamily) {
  const std::vector<std::string_view> list(kSystemCaBundles.begin(), kSystemCaBundles.end());
  for (std::string_view expected : {"/etc/ssl/certs/ca-certificates.crt",
                                    "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem"}) {
    EXPECT_NE(std::find(list.begin(), list.end(), expected), list.end()) << expected;
  }
}

}  // namespace
}  // namespace guestbackup::status
