// See windows_service.h. The service control manager calls back on threads of its own, with no
// argument to carry state: the one running service lives in g_service while ServiceMain runs.
#include <windows.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "lean/contract/exit_codes.h"
#include "lean/daemon/windows_service.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::daemon {
namespace {

using platform::UniqueHandle;

// How long the service manager is told a start or a stop step may take; a stop that takes
// longer (a job finishing within daemon.shutdown_grace) reports progress at half this period.
constexpr DWORD kWaitHintMs = 20'000;

class Service;
Service* g_service = nullptr;

// Reports the service's state to the service control manager, and while a stop is pending
// advances the checkpoint so the manager sees the stop progress rather than hang.
class Service final : public Notifier {
 public:
  explicit Service(DaemonOptions options) : options_(std::move(options)) {}

  void Main() {
    handle_ = RegisterServiceCtrlHandlerExW(kWindowsServiceName, OnControl, this);
    if (handle_ == nullptr) {
      result_ =
          Failed("RegisterServiceCtrlHandlerEx: " + platform::WindowsErrorText(GetLastError()));
      return;
    }
    stop_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
    reload_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
    Report(SERVICE_START_PENDING);
    options_.control.stop_event = stop_.get();
    options_.control.reload_event = reload_.get();
    options_.notifier = this;
    result_ = RunDaemon(options_);
    if (!result_.ok()) spdlog::error("service stopped: {}", result_.ToString());
    StopHeartbeat();
    Report(SERVICE_STOPPED);
  }

  const Status& result() const { return result_; }

  // Notifier: the lines the scheduler sends systemd, translated.
  void Notify(std::string_view state) override {
    if (state.find("READY=1") != std::string_view::npos) Report(SERVICE_RUNNING);
    if (state.find("STOPPING=1") != std::string_view::npos) StartStopping();
  }

 private:
  static DWORD WINAPI OnControl(DWORD control, DWORD /*type*/, void* /*data*/, void* context) {
    auto* self = static_cast<Service*>(context);
    switch (control) {
      case SERVICE_CONTROL_STOP:
      case SERVICE_CONTROL_PRESHUTDOWN:
      case SERVICE_CONTROL_SHUTDOWN:
        self->StartStopping();
        SetEvent(self->stop_.get());
        return NO_ERROR;
      case SERVICE_CONTROL_PARAMCHANGE:
        SetEvent(self->reload_.get());
        return NO_ERROR;
      case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
      default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
  }

  void Report(DWORD state) {
    std::lock_guard lock(mu_);
    ReportLocked(state);
  }

  void ReportLocked(DWORD state) {
    if (state_ == SERVICE_STOP_PENDING && state == SERVICE_RUNNING) return;  // no way back
    state_ = state;
    SERVICE_STATUS status{};
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING
            ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
            : 0;
    const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status.dwWaitHint = pending ? kWaitHintMs : 0;
    status.dwCheckPoint = pending ? ++checkpoint_ : 0;
    if (state == SERVICE_STOPPED && !result_.ok()) {
      status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
      status.dwServiceSpecificExitCode = static_cast<DWORD>(contract::ExitCodeFor(result_));
    }
    SetServiceStatus(handle_, &status);
  }

  void StartStopping() {
    std::lock_guard lock(mu_);
    if (state_ == SERVICE_STOP_PENDING || state_ == SERVICE_STOPPED) return;
    ReportLocked(SERVICE_STOP_PENDING);
    heartbeat_ = std::thread([this] {
      std::unique_lock held(mu_);
      while (!stopped_) {
        if (heartbeat_wake_.wait_for(held, std::chrono::milliseconds(kWaitHintMs / 2),
                                     [this] { return stopped_; })) {
          break;
        }
        ReportLocked(SERVICE_STOP_PENDING);
      }
    });
  }

  void StopHeartbeat() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    heartbeat_wake_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
  }

  DaemonOptions options_;
  SERVICE_STATUS_HANDLE handle_ = nullptr;
  UniqueHandle stop_;
  UniqueHandle reload_;
  Status result_;
  std::mutex mu_;  // guards what follows
  DWORD state_ = SERVICE_STOPPED;
  DWORD checkpoint_ = 0;
  bool stopped_ = false;
  std::condition_variable heartbeat_wake_;
  std::thread heartbeat_;
};

void WINAPI ServiceMain(DWORD /*argc*/, wchar_t** /*argv*/) { g_service->Main(); }

}  // namespace

Status RunAsWindowsService(DaemonOptions options) {
  Service service(std::move(options));
  g_service = &service;
  std::wstring name = kWindowsServiceName;  // the table wants it writable
  const SERVICE_TABLE_ENTRYW table[] = {{name.data(), ServiceMain}, {nullptr, nullptr}};
  const bool dispatched = StartServiceCtrlDispatcherW(table) != 0;
  const DWORD error = dispatched ? 0 : GetLastError();
  g_service = nullptr;
  if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
    return Failed(
        "not started by the service control manager: start the service with `sc start "
        "guestbackup`, or run `guestbackup daemon` in a console");
  }
  if (!dispatched) {
    return Failed("StartServiceCtrlDispatcher: " + platform::WindowsErrorText(error));
  }
  return service.result();
}

}  // namespace guestbackup::daemon
