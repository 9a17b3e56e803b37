// A child for the Windows process tests, so that they depend on no program wine may lack:
//   child_helper echo ARGS...   prints the arguments joined by '|'
//   child_helper env NAME       prints NAME's value, or <unset>
//   child_helper stdin          copies stdin to stdout
//   child_helper exit N         exits with N, after "bye" on stderr
//   child_helper sleep SECONDS
//   child_helper tree FILE SECONDS   starts "sleep SECONDS" as its own child, writes that
//                                    child's pid to FILE, then sleeps SECONDS itself
//   child_helper flood BYTES    writes BYTES 'x' to stdout
//   child_helper interruptible SECONDS   as guestbackup does: waits for its parent's stop
//                                        request (contract/signals.h), then says so on stderr
//                                        and exits 130; prints whether the stop event's
//                                        variable is still in its environment
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "lean/contract/signals.h"
#include "lean/process/process.h"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "echo") {
    for (int i = 2; i < argc; ++i) std::cout << (i > 2 ? "|" : "") << argv[i];
    std::cout << "\n";
    return 0;
  }
  if (mode == "env" && argc == 3) {
    const char* value = std::getenv(argv[2]);
    std::cout << (value != nullptr ? value : "<unset>") << "\n";
    return 0;
  }
  if (mode == "stdin") {
    std::cout << std::cin.rdbuf();
    return 0;
  }
  if (mode == "exit" && argc == 3) {
    std::cerr << "bye\n";
    return std::atoi(argv[2]);
  }
  if (mode == "sleep" && argc == 3) {
    Sleep(static_cast<DWORD>(std::atoi(argv[2])) * 1000);
    return 0;
  }
  if (mode == "tree" && argc == 4) {
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(nullptr, self, MAX_PATH);
    std::wstring line = L"\"" + std::wstring(self) + L"\" sleep " +
                        std::wstring(argv[3], argv[3] + std::string(argv[3]).size());
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION child{};
    if (!CreateProcessW(nullptr, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr,
                        &startup, &child)) {
      return 2;
    }
    if (FILE* file = std::fopen(argv[2], "w")) {
      std::fprintf(file, "%lu\n", child.dwProcessId);
      std::fclose(file);
    }
    Sleep(static_cast<DWORD>(std::atoi(argv[3])) * 1000);
    return 0;
  }
  if (mode == "flood" && argc == 3) {
    const std::string bytes(static_cast<std::size_t>(std::atoi(argv[2])), 'x');
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    return 0;
  }
  if (mode == "interruptible" && argc == 3) {
    const std::atomic<bool>* interrupted = guestbackup::contract::InstallInterruptHandlers();
    const char* left = std::getenv(guestbackup::process::kStopEventVariable);
    std::cout << "variable " << (left == nullptr ? "taken" : "left") << std::endl;
    for (int tenths = std::atoi(argv[2]) * 10; tenths > 0; --tenths) {
      if (interrupted->load()) {
        std::cerr << "stopping\n";
        return 130;
      }
      Sleep(100);
    }
    return 0;
  }
  std::cerr << "child_helper: unknown mode\n";
  return 64;
}
