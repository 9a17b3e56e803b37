// See process_identity.h: on Windows the start time is the process's creation time (100 ns
// units since 1601, from GetProcessTimes) and the boot id the system's boot time in the same
// units (NtQuerySystemInformation, SystemTimeOfDayInformation): fixed for the life of a boot,
// unlike "now minus the uptime", which moves with every clock adjustment.
#include <windows.h>
#include <winternl.h>

#include <memory>
#include <string>

#include "lean/platform/process_identity.h"
#include "lean/platform/unique_handle_win32.h"

namespace guestbackup::platform {
namespace {

// The layout ntdll fills for SystemTimeOfDayInformation (class 3), of which only the boot
// time is read; winternl.h declares the call but not this structure.
struct TimeOfDay {
  LARGE_INTEGER boot_time;
  LARGE_INTEGER current_time;
  LARGE_INTEGER time_zone_bias;
  ULONG time_zone_id;
  ULONG reserved;
  ULONGLONG boot_time_bias;
  ULONGLONG sleep_time_bias;
};

constexpr int kSystemTimeOfDayInformation = 3;

using QueryFunction = LONG(WINAPI*)(int, void*, ULONG, ULONG*);

}  // namespace

std::string CurrentBootId() {
  static const std::string id = [] {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    auto query = ntdll == nullptr ? nullptr
                                  : reinterpret_cast<QueryFunction>(reinterpret_cast<void*>(
                                        GetProcAddress(ntdll, "NtQuerySystemInformation")));
    TimeOfDay info{};
    ULONG size = 0;
    if (query == nullptr || query(kSystemTimeOfDayInformation, &info, sizeof info, &size) < 0 ||
        info.boot_time.QuadPart <= 0) {
      return std::string();
    }
    return "boot-" + std::to_string(info.boot_time.QuadPart);
  }();
  return id;
}

std::optional<ProcessIdentity> ProcessIdentityOf(int pid) {
  if (pid <= 0) return std::nullopt;
  HANDLE raw =
      OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (raw == nullptr) return std::nullopt;
  UniqueHandle process(raw);
  // Ended but still referenced by a handle somewhere: gone, as a zombie is on Linux.
  if (WaitForSingleObject(raw, 0) != WAIT_TIMEOUT) return std::nullopt;
  FILETIME created{};
  FILETIME exited{};
  FILETIME kernel{};
  FILETIME user{};
  if (!GetProcessTimes(raw, &created, &exited, &kernel, &user)) return std::nullopt;
  const std::uint64_t start =
      (static_cast<std::uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
  return ProcessIdentity{pid, CurrentBootId(), start};
}

}  // namespace guestbackup::platform
