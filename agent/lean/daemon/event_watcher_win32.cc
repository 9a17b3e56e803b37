// See event_watcher.h: ReadDirectoryChangesW on the policy's directory (overlapped, so one
// WaitForMultipleObjects also hears the stop and reload events and the watcher's own quit
// event). Windows reports a write while it happens and has no "closed after writing": a change
// of the policy file reloads once the directory has been quiet for kSettle, so an editor's
// several writes are one reload and a file half written is not read.
#include <windows.h>

#include <spdlog/spdlog.h>

#include <cwctype>
#include <filesystem>
#include <string>

#include "lean/daemon/event_watcher.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::daemon {
namespace {

using platform::UniqueHandle;

constexpr DWORD kSettleMs = 300;
// Renames (editors, ConfigMap swaps), new files and writes in place.
constexpr DWORD kWatchFilter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                               FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE;

bool SameNameIgnoringCase(std::wstring_view a, std::wstring_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::towlower(a[i]) != std::towlower(b[i])) return false;
  }
  return true;
}

}  // namespace

struct EventWatcher::Sources {
  UniqueHandle directory;  // opened for overlapped reads of its changes; null if unwatched
  UniqueHandle changed;    // the overlapped read's event
  UniqueHandle quit;       // set by the destructor
  HANDLE stop = nullptr;   // the caller's (ControlRequests)
  HANDLE reload = nullptr;
  OVERLAPPED overlapped{};
  alignas(DWORD) unsigned char buffer[16384];
  std::wstring file_name;  // the policy's name inside the directory

  // Starts the next overlapped read of the directory's changes; false when it cannot.
  bool Arm() {
    if (directory == nullptr) return false;
    ResetEvent(changed.get());
    overlapped = OVERLAPPED{};
    overlapped.hEvent = changed.get();
    return ReadDirectoryChangesW(directory.get(), buffer, sizeof buffer, FALSE, kWatchFilter,
                                 nullptr, &overlapped, nullptr) != 0;
  }

  // Whether the finished read named the policy file or the ConfigMap's swap; an overflow (no
  // entries) counts as a change, since what changed is unknown.
  bool Relevant() {
    DWORD bytes = 0;
    if (!GetOverlappedResult(directory.get(), &overlapped, &bytes, FALSE)) return true;
    if (bytes == 0) return true;
    const std::wstring swap = platform::Utf8ToWide(kConfigMapSwapName);
    for (DWORD offset = 0;;) {
      const auto* info = reinterpret_cast<const FILE_NOTIFY_INFORMATION*>(buffer + offset);
      const std::wstring_view name(info->FileName, info->FileNameLength / sizeof(wchar_t));
      if (SameNameIgnoringCase(name, file_name) || SameNameIgnoringCase(name, swap)) return true;
      if (info->NextEntryOffset == 0) return false;
      offset += info->NextEntryOffset;
    }
  }
};

Result<std::unique_ptr<EventWatcher>> EventWatcher::Start(const std::string& policy_path,
                                                          ControlRequests control,
                                                          WatchCallbacks callbacks) {
  const std::filesystem::path path(platform::Utf8ToWide(policy_path));
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : L".";
  auto sources = std::make_unique<Sources>();
  sources->stop = static_cast<HANDLE>(control.stop_event);
  sources->reload = static_cast<HANDLE>(control.reload_event);
  sources->file_name = path.filename().native();
  sources->quit.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  sources->changed.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (sources->quit == nullptr || sources->changed == nullptr) {
    return IoError("CreateEvent: " + platform::WindowsErrorText(GetLastError()));
  }
  sources->directory.reset(CreateFileW(
      dir.c_str(), FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
      nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr));
  if (sources->directory.get() == INVALID_HANDLE_VALUE) sources->directory.release();
  if (!sources->Arm()) {
    // The stop and reload requests must still work, and a missing policy is reported by the
    // load itself.
    spdlog::warn("changes of {} are not watched ({}): restart the service to reload", policy_path,
                 platform::WindowsErrorText(GetLastError()));
    sources->directory.reset();
  }
  return std::unique_ptr<EventWatcher>(new EventWatcher(
      std::move(sources), platform::WideToUtf8(path.filename().native()), std::move(callbacks)));
}

EventWatcher::EventWatcher(std::unique_ptr<Sources> sources, std::string file_name,
                           WatchCallbacks callbacks)
    : sources_(std::move(sources)),
      file_name_(std::move(file_name)),
      callbacks_(std::move(callbacks)) {
  thread_ = std::thread([this] { Loop(); });
}

EventWatcher::~EventWatcher() {
  SetEvent(sources_->quit.get());
  thread_.join();
  if (sources_->directory != nullptr) {
    // The read still pending writes into the buffer: it must end before the buffer goes.
    CancelIoEx(sources_->directory.get(), &sources_->overlapped);
    DWORD bytes = 0;
    GetOverlappedResult(sources_->directory.get(), &sources_->overlapped, &bytes, TRUE);
  }
}

void EventWatcher::Loop() {
  Sources& in = *sources_;
  bool watching = in.directory != nullptr;
  bool settling = false;  // a relevant change was seen; reload when the directory is quiet
  while (true) {
    HANDLE handles[4];
    DWORD count = 0;
    handles[count++] = in.quit.get();
    const DWORD changed_index = watching ? count : MAXDWORD;
    if (watching) handles[count++] = in.changed.get();
    const DWORD stop_index = in.stop != nullptr ? count : MAXDWORD;
    if (in.stop != nullptr) handles[count++] = in.stop;
    const DWORD reload_index = in.reload != nullptr ? count : MAXDWORD;
    if (in.reload != nullptr) handles[count++] = in.reload;

    const DWORD woke =
        WaitForMultipleObjects(count, handles, FALSE, settling ? kSettleMs : INFINITE);
    if (woke == WAIT_TIMEOUT) {
      settling = false;
      if (callbacks_.reload) callbacks_.reload();
      continue;
    }
    if (woke < WAIT_OBJECT_0 || woke >= WAIT_OBJECT_0 + count) return;  // failed: give up
    const DWORD index = woke - WAIT_OBJECT_0;
    if (index == 0) return;
    if (index == changed_index) {
      if (in.Relevant()) settling = true;
      if (!in.Arm()) {
        spdlog::warn("changes of {} are no longer watched: {}", file_name_,
                     platform::WindowsErrorText(GetLastError()));
        watching = false;
      }
    } else if (index == stop_index) {
      ResetEvent(in.stop);
      if (callbacks_.stop) callbacks_.stop();
    } else if (index == reload_index) {
      ResetEvent(in.reload);
      if (callbacks_.reload) callbacks_.reload();
    }
  }
}

}  // namespace guestbackup::daemon
