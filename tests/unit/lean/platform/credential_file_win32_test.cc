// Secret files on Windows: refused unless their DACL lets only SYSTEM, Administrators and the
// user running guestbackup read them, naming the trustee that may not. The rule is tested on
// DACLs built from SDDL by Windows' own functions (wine keeps no DACL set on a file); the file
// checks on what wine does give: directories, missing files, a file Everyone may read.
#include <aclapi.h>
#include <gtest/gtest.h>
#include <sddl.h>
#include <windows.h>

#include <filesystem>
#include <memory>
#include <string>

#include "lean/platform/credential_file.h"
#include "lean/platform/credential_file_win32.h"
#include "lean/platform/wide_text_win32.h"
#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;

const std::string kPath = "C:\\ProgramData\\guestbackup\\password";
const std::string kRule =
    "; only SYSTEM, Administrators and the user running guestbackup may read it (icacls "
    "\"C:\\ProgramData\\guestbackup\\password\" /inheritance:r /grant:r *S-1-5-18:F "
    "*S-1-5-32-544:F)";

// CheckCredentialDacl on the DACL an SDDL string describes ("D:P(A;;FA;;;SY)...").
Status CheckSddl(const wchar_t* sddl, const wchar_t* self_sid = nullptr) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor,
                                                            nullptr)) {
    return Internal("bad SDDL in the test");
  }
  std::unique_ptr<void, decltype(&LocalFree)> owned(descriptor, &LocalFree);
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
  PSID self = nullptr;
  if (self_sid != nullptr) ConvertStringSidToSidW(self_sid, &self);
  const Status status = CheckCredentialDacl(kPath, present ? dacl : nullptr, self);
  LocalFree(self);
  return status;
}

TEST(CredentialDacl, AcceptsSystemAndAdministrators) {
  EXPECT_TRUE(CheckSddl(L"D:P(A;;FA;;;SY)(A;;FA;;;BA)").ok());
}

TEST(CredentialDacl, AcceptsTheUserRunningGuestbackupAndNoOtherUser) {
  const wchar_t* dacl = L"D:P(A;;FA;;;SY)(A;;FR;;;S-1-5-21-1-2-3-1001)";
  EXPECT_TRUE(CheckSddl(dacl, L"S-1-5-21-1-2-3-1001").ok());
  EXPECT_EQ(CheckSddl(dacl, L"S-1-5-21-1-2-3-1002").code(), StatusCode::kPermissionDenied);
}

TEST(CredentialDacl, RefusesUsersNamingTheTrusteeAndTheFix) {
  const Status status = CheckSddl(L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)");
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "credential file " + kPath + " is readable by BUILTIN\\Users (S-1-5-32-545)" + kRule);
}

TEST(CredentialDacl, RefusesEveryoneGenericReadAndTheRightToChangeTheDacl) {
  EXPECT_EQ(CheckSddl(L"D:P(A;;FA;;;SY)(A;;GR;;;WD)").message(),
            "credential file " + kPath + " is readable by Everyone (S-1-1-0)" + kRule);
  // WRITE_DAC lets Users grant themselves reading.
  EXPECT_EQ(CheckSddl(L"D:P(A;;FA;;;SY)(A;;WD;;;BU)").code(), StatusCode::kPermissionDenied);
}

TEST(CredentialDacl, RightsThatDoNotReadAreAllowed) {
  // Reading the attributes and the DACL itself reveals nothing of the secret.
  EXPECT_TRUE(CheckSddl(L"D:P(A;;FA;;;SY)(A;;0x00020080;;;BU)").ok());
}

TEST(CredentialDacl, DenyEntriesAndEntriesForChildrenOnlyDoNotCount) {
  EXPECT_TRUE(CheckSddl(L"D:P(D;;FA;;;BU)(A;;FA;;;SY)(A;IO;FA;;;BU)").ok());
}

TEST(CredentialDacl, ANullDaclLetsEveryoneInAndIsRefused) {
  EXPECT_EQ(CheckCredentialDacl(kPath, nullptr, nullptr).message(),
            "credential file " + kPath + " has no DACL, so everyone can read it" + kRule);
}

TEST(CredentialDacl, AnEmptyDaclLetsNobodyInAndIsAccepted) {
  ACL empty{};
  ASSERT_TRUE(InitializeAcl(&empty, sizeof empty, ACL_REVISION));
  EXPECT_TRUE(CheckCredentialDacl(kPath, &empty, nullptr).ok());
}

TEST(CredentialFileWin32, RefusesAFileEveryoneMayRead) {
  TempDir dir;
  const std::string path = dir.WriteFile("password", "s3cret", 0600);
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorW(
      L"D:P(A;;FA;;;SY)(A;;FR;;;WD)", SDDL_REVISION_1, &descriptor, nullptr));
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
  std::wstring wide = Utf8ToWide(path);
  SetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT,
                        DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                        nullptr, dacl, nullptr);
  LocalFree(descriptor);
  const Status status = CheckCredentialFile(path);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find(" is readable by Everyone (S-1-1-0)"), std::string::npos)
      << status.message();
  EXPECT_EQ(ReadCredentialFile(path).status().message(), status.message());
}

TEST(CredentialFileWin32, RefusesDirectoriesAndNamesMissingFiles) {
  TempDir dir;
  const std::string sub = (dir.path() / "sub").string();
  std::filesystem::create_directory(sub);
  EXPECT_EQ(CheckCredentialFile(sub).message(),
            "credential file " + sub + " is not a regular file");
  const std::string missing = (dir.path() / "nope").string();
  EXPECT_EQ(CheckCredentialFile(missing).code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadCredentialFile(missing).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace guestbackup::platform
