// Owns a Windows HANDLE and closes it on destruction (null and INVALID_HANDLE_VALUE are
// never closed), so no early return leaks one.
#pragma once

#include <windows.h>

#include <memory>

namespace guestbackup::platform {

struct HandleCloser {
  void operator()(HANDLE handle) const {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
  }
};
using UniqueHandle = std::unique_ptr<void, HandleCloser>;

}  // namespace guestbackup::platform
