// See host_name.h: the computer's DNS host name, which Windows keeps without its domain.
#include <windows.h>

#include <array>

#include "lean/platform/host_name.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {

std::string HostName() {
  std::array<wchar_t, 256> name{};
  DWORD size = static_cast<DWORD>(name.size());
  if (!GetComputerNameExW(ComputerNameDnsHostname, name.data(), &size)) return "";
  return WideToUtf8(std::wstring_view(name.data(), size));
}

}  // namespace guestbackup::platform
