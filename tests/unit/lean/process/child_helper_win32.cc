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
//   child_helper cancel-after SECONDS PROGRAM [ARGS...]   runs PROGRAM with process::Run and
//                                        cancels it after SECONDS (kill_grace 60 s), then prints
//                                        how it ended; as the daemon stops its children
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

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
  if (mode == "--policy") {  // DEBUG stand-in for guestbackup.exe under the daemon
    const char* v = std::getenv(guestbackup::process::kStopEventVariable);
    std::cerr << "stand-in: variable " << (v ? v : "<unset>") << std::endl;
    if (v != nullptr) {
      HANDLE h = reinterpret_cast<HANDLE>(std::strtoull(v, nullptr, 10));
      DWORD flags = 0;
      const BOOL info = GetHandleInformation(h, &flags);
      std::cerr << "stand-in: handle info " << info << " flags " << flags << " error "
                << GetLastError() << " wait " << WaitForSingleObject(h, 0) << std::endl;
    }
    for (int i = 1; i < argc; ++i) {
      if (std::string(argv[i]) == "history") { std::cout << "[]" << std::endl; return 0; }
    }
    const std::atomic<bool>* interrupted = guestbackup::contract::InstallInterruptHandlers();
    for (int tenths = 600; tenths > 0; --tenths) {
      if (interrupted->load()) { std::cerr << "stand-in: stopping" << std::endl; return 130; }
      Sleep(100);
    }
    return 0;
  }
  if (mode == "cancel-after" && argc >= 4) {
    std::atomic<bool> cancel{false};
    guestbackup::process::ProcessSpec spec;
    spec.argv.assign(argv + 3, argv + argc);
    spec.cancel = &cancel;
    spec.kill_grace = std::chrono::seconds(60);
    spec.on_stderr = [](std::string_view chunk) { std::cerr << chunk; };
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::seconds(std::atoi(argv[2])));
      cancel = true;
    });
    guestbackup::Result<guestbackup::process::ProcessResult> result =
        guestbackup::InvalidArgument("not run");
    if (std::getenv("DEBUG_UNSET") != nullptr) spec.unset_env = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};
    if (std::getenv("DEBUG_LIMIT") != nullptr) spec.stdout_limit = 4096;
    if (std::getenv("DEBUG_FIRST") != nullptr) {
      guestbackup::process::ProcessSpec first;
      first.argv = {argv[3], "exit", "0"};
      (void)guestbackup::process::Run(first);
    }
    if (std::getenv("DEBUG_THREAD") != nullptr) {
      std::thread([&] { result = guestbackup::process::Run(spec); }).join();
    } else {
      result = guestbackup::process::Run(spec);
    }
    canceller.join();
    if (!result.ok()) {
      std::cout << result.status().ToString() << std::endl;
      return 1;
    }
    std::cout << result->Describe() << "; exited " << result->exited << " with "
              << result->exit_code << " after " << result->duration.count() << " ms" << std::endl;
    return 0;
  }
  std::cerr << "child_helper: unknown mode\n";
  return 64;
}
