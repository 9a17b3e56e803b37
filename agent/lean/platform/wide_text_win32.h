// UTF-8 <-> UTF-16 for the Windows API: the agent keeps every path and message in UTF-8 (as the
// policy file is), and converts only where it calls a W function.
#pragma once

#include <string>
#include <string_view>

namespace guestbackup::platform {

// Invalid UTF-8 becomes U+FFFD (MultiByteToWideChar's own replacement), never an error: a
// path that cannot be converted then simply does not exist.
std::wstring Utf8ToWide(std::string_view text);
std::string WideToUtf8(std::wstring_view text);

// The text of a Windows error code (GetLastError()), without its trailing line break.
std::string WindowsErrorText(unsigned long error);

}  // namespace guestbackup::platform
