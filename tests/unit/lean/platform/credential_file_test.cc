#include "lean/platform/credential_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;

TEST(CredentialFile, AcceptsOwnerOnlyModes) {
  TempDir dir;
  EXPECT_TRUE(CheckCredentialFile(dir.WriteFile("a", "secret\n", 0600)).ok());
  EXPECT_TRUE(CheckCredentialFile(dir.WriteFile("b", "secret\n", 0400)).ok());
  EXPECT_TRUE(CheckCredentialFile(dir.WriteFile("c", "secret\n", 0000)).ok());
}

TEST(CredentialFile, RefusesGroupOrOtherBitsNamingTheModeAndTheFix) {
  TempDir dir;
  const std::string path = dir.WriteFile("password", "secret\n", 0644);
  const Status status = CheckCredentialFile(path);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "credential file " + path +
                                  " has mode 0644; it must be 0600 or stricter (chmod 600 " + path +
                                  ")");
  EXPECT_EQ(CheckCredentialFile(dir.WriteFile("g", "x", 0640)).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckCredentialFile(dir.WriteFile("o", "x", 0604)).code(),
            StatusCode::kPermissionDenied);
}

TEST(CredentialFile, RefusesSymbolicLinksEvenToAGoodFile) {
  TempDir dir;
  const std::string target = dir.WriteFile("target", "secret\n", 0600);
  const std::string link = (dir.path() / "link").string();
  std::filesystem::create_symlink(target, link);
  const Status status = CheckCredentialFile(link);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "credential file " + link + " is a symbolic link; it must be a regular file");
  EXPECT_EQ(ReadCredentialFile(link).status().message(), status.message());
}

TEST(CredentialFile, RefusesDirectories) {
  TempDir dir;
  const std::string sub = (dir.path() / "sub").string();
  ASSERT_EQ(mkdir(sub.c_str(), 0700), 0);
  EXPECT_EQ(CheckCredentialFile(sub).message(),
            "credential file " + sub + " is not a regular file");
}

TEST(CredentialFile, MissingFileIsNotFound) {
  TempDir dir;
  const std::string path = (dir.path() / "nope").string();
  const Status status = CheckCredentialFile(path);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "credential file " + path + " cannot be read: No such file or directory");
}

TEST(CredentialFile, RefusesFilesOwnedBySomeoneElse) {
  if (geteuid() != 0) GTEST_SKIP() << "changing a file's owner needs root";
  TempDir dir;
  const std::string path = dir.WriteFile("password", "secret", 0600);
  ASSERT_EQ(chown(path.c_str(), 65534, 65534), 0);
  const Status status = CheckCredentialFile(path);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "credential file " + path +
                                  " is owned by uid 65534; it must be owned by root or by uid 0 "
                                  "(the user running guestbackup)");
}

TEST(CredentialFile, ReadStripsExactlyOneTrailingNewline) {
  TempDir dir;
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("a", "s3cret\n", 0600)).value(), "s3cret");
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("b", "s3cret", 0600)).value(), "s3cret");
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("c", "s3cret\n\n", 0600)).value(), "s3cret\n");
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("d", "s3cret\r\n", 0600)).value(), "s3cret");
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("e", " spaces kept ", 0600)).value(), " spaces kept ");
}

TEST(CredentialFile, ReadRefusesEmptyAndLooseFiles) {
  TempDir dir;
  const std::string empty = dir.WriteFile("empty", "\n", 0600);
  const Result<std::string> result = ReadCredentialFile(empty);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "credential file " + empty + " is empty");
  EXPECT_EQ(ReadCredentialFile(dir.WriteFile("loose", "x", 0644)).status().code(),
            StatusCode::kPermissionDenied);
}

// /proc/self/pagemap is a regular file of the running user, mode 0400, st_size 0 — and reads
// gigabytes. The read stops one byte past the limit.
TEST(CredentialFile, AFileWhoseSizeLiesIsReadOnlyToTheLimit) {
  const Result<std::string> result = ReadCredentialFile("/proc/self/pagemap");
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "credential file /proc/self/pagemap is larger than 64 KiB");
}

}  // namespace
}  // namespace guestbackup::platform
