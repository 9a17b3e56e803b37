// Secret files on Windows: the file's DACL, not a mode, says who can read it. Everything is
// checked on one open handle that does not follow reparse points, so a symbolic link or a
// junction cannot point the agent at another file between the check and the read.
#include <aclapi.h>
#include <fcntl.h>
#include <io.h>
#include <sddl.h>
#include <windows.h>

#include <memory>
#include <string>
#include <vector>

#include "lean/platform/credential_content.h"
#include "lean/platform/credential_file.h"
#include "lean/platform/credential_file_win32.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

// Rights that let a trustee read the secret, or give itself the right to (WRITE_DAC,
// WRITE_OWNER): any of them held by someone untrusted refuses the file.
constexpr ACCESS_MASK kReadingRights =
    FILE_READ_DATA | GENERIC_READ | GENERIC_ALL | MAXIMUM_ALLOWED | WRITE_DAC | WRITE_OWNER;

std::string Name(const std::string& path) { return "credential file " + path; }

Status WindowsStatus(const std::string& path, DWORD error, const char* what) {
  const std::string message = Name(path) + " " + what + ": " + WindowsErrorText(error);
  if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) return NotFound(message);
  if (error == ERROR_ACCESS_DENIED) return PermissionDenied(message);
  return IoError(message);
}

Result<UniqueHandle> Open(const std::string& path, DWORD access) {
  // FILE_FLAG_BACKUP_SEMANTICS opens a directory too, so that it is refused by name below.
  HANDLE handle =
      CreateFileW(Utf8ToWide(path).c_str(), access, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                  FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (handle == INVALID_HANDLE_VALUE) return WindowsStatus(path, GetLastError(), "cannot be read");
  return UniqueHandle(handle);
}

std::string SidText(PSID sid) {
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(sid, &text)) return "an unknown SID";
  std::string result = WideToUtf8(text);
  LocalFree(text);
  return result;
}

// "BUILTIN\Users (S-1-5-32-545)", or the SID alone when it names no account here.
std::string TrusteeText(PSID sid) {
  wchar_t name[256];
  wchar_t domain[256];
  DWORD name_size = 256;
  DWORD domain_size = 256;
  SID_NAME_USE use;
  if (!LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use)) {
    return SidText(sid);
  }
  const std::string account =
      domain_size > 0 ? WideToUtf8(domain) + "\\" + WideToUtf8(name) : WideToUtf8(name);
  return account + " (" + SidText(sid) + ")";
}

// The user this process runs as (on a guest usually SYSTEM itself).
std::vector<unsigned char> ProcessUserSid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  UniqueHandle owned(token);
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<unsigned char> buffer(size);
  if (size == 0 || !GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) return {};
  const PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
  std::vector<unsigned char> copy(GetLengthSid(sid));
  CopySid(static_cast<DWORD>(copy.size()), copy.data(), sid);
  return copy;
}

bool IsTrusted(PSID sid, PSID self) {
  if (IsWellKnownSid(sid, WinLocalSystemSid) || IsWellKnownSid(sid, WinBuiltinAdministratorsSid)) {
    return true;
  }
  return self != nullptr && EqualSid(sid, self);
}

std::string Fix(const std::string& path) {
  return "icacls \"" + path + "\" /inheritance:r /grant:r *S-1-5-18:F *S-1-5-32-544:F";
}

Status CheckHandle(const std::string& path, HANDLE handle) {
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(handle, &info)) {
    return WindowsStatus(path, GetLastError(), "cannot be examined");
  }
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
    return PermissionDenied(Name(path) +
                            " is a symbolic link or junction; it must be a regular file");
  }
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    return PermissionDenied(Name(path) + " is not a regular file");
  }
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const DWORD error = GetSecurityInfo(handle, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                      nullptr, &dacl, nullptr, &descriptor);
  if (error != ERROR_SUCCESS) return WindowsStatus(path, error, "has an unreadable DACL");
  std::unique_ptr<void, decltype(&LocalFree)> owned(descriptor, &LocalFree);
  std::vector<unsigned char> self = ProcessUserSid();
  return CheckCredentialDacl(path, dacl, self.empty() ? nullptr : self.data());
}

}  // namespace

Status CheckCredentialDacl(const std::string& path, PACL dacl, PSID self) {
  const std::string rule =
      "; only SYSTEM, Administrators and the user running guestbackup may "
      "read it (" +
      Fix(path) + ")";
  if (dacl == nullptr) {
    return PermissionDenied(Name(path) + " has no DACL, so everyone can read it" + rule);
  }
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    ACE_HEADER* header = nullptr;
    if (!GetAce(dacl, i, reinterpret_cast<void**>(&header))) continue;
    if ((header->AceFlags & INHERIT_ONLY_ACE) != 0) continue;  // for children, not this file
    if (header->AceType == ACCESS_DENIED_ACE_TYPE) continue;   // takes rights away only
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) {
      return PermissionDenied(Name(path) +
                              " has an access entry of a kind guestbackup does not "
                              "check (type " +
                              std::to_string(header->AceType) + ")" + rule);
    }
    auto* ace = reinterpret_cast<ACCESS_ALLOWED_ACE*>(header);
    const PSID sid = &ace->SidStart;
    if ((ace->Mask & kReadingRights) != 0 && !IsTrusted(sid, self)) {
      return PermissionDenied(Name(path) + " is readable by " + TrusteeText(sid) + rule);
    }
  }
  return Status::Ok();
}

Status CheckCredentialFile(const std::string& path) {
  Result<UniqueHandle> handle = Open(path, READ_CONTROL | FILE_READ_ATTRIBUTES);
  if (!handle.ok()) return handle.status();
  return CheckHandle(path, handle->get());
}

Result<std::string> ReadCredentialFile(const std::string& path) {
  Result<UniqueHandle> handle = Open(path, GENERIC_READ | READ_CONTROL);
  if (!handle.ok()) return handle.status();
  if (Status status = CheckHandle(path, handle->get()); !status.ok()) return status;
  // The checked handle becomes a C runtime descriptor (which now owns it) for the shared read.
  const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle->get()), _O_RDONLY);
  if (fd < 0) return IoError(Name(path) + " cannot be read");
  handle->release();
  Result<std::string> content = ReadCredentialContent(path, fd);
  _close(fd);
  return content;
}

}  // namespace guestbackup::platform
