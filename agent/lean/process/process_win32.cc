// Run() on Windows. The child starts suspended inside a Job Object and is resumed only once it
// is in. Windows has no SIGTERM that a child without a console could catch, so a timeout, an
// idle timeout or cancel first sets the child's stop event (a named event the child finds through
// kStopEventVariable, process.h), which guestbackup itself waits on, and kill_grace later ends
// the child and every process it started with TerminateJobObject. The job is closed with the
// child's end, which also ends what a hook left running. A job that outlives its creator kills
// its processes (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE): die_with_parent holds for the process,
// not for the thread. Output comes through two pipes, each read by a thread of its own into a
// queue that the Run() thread drains, so on_stdout/on_stderr are called on the Run() thread.
// Only the three pipe ends are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST):
// a child started by another thread at the same moment cannot hold this one's pipes open.
#include <windows.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"
#include "lean/process/environment.h"
#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"
#include "lean/process/tail_buffer.h"

namespace guestbackup::process {
namespace {

using platform::UniqueHandle;
using Clock = std::chrono::steady_clock;

// After the child ended, output still in its pipes (or held by a process it left behind) is
// read for this long, as on Linux.
constexpr auto kDrainAfterExit = std::chrono::milliseconds(200);
constexpr auto kPollInterval = std::chrono::milliseconds(100);

Status LastError(const std::string& what) {
  const DWORD error = GetLastError();
  const std::string message = what + ": " + platform::WindowsErrorText(error);
  if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) return NotFound(message);
  if (error == ERROR_ACCESS_DENIED) return PermissionDenied(message);
  return Internal(message);
}

// One argument as CommandLineToArgvW and the C runtime split it again: quoted when it is
// empty or has a space, tab or quote; backslashes doubled only before a quote.
void AppendQuoted(std::wstring& line, const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    line += arg;
    return;
  }
  line += L'"';
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    line.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    line += c;
  }
  line.append(backslashes * 2, L'\\');
  line += L'"';
}

std::vector<std::string> InheritedEnvironment() {
  std::vector<std::string> env;
  wchar_t* block = GetEnvironmentStringsW();
  if (block == nullptr) return env;
  for (const wchar_t* entry = block; *entry != L'\0'; entry += wcslen(entry) + 1) {
    env.push_back(platform::WideToUtf8(entry));
  }
  FreeEnvironmentStringsW(block);
  return env;
}

// The child's PATH: Windows names are case-insensitive, and the system spells it "Path".
std::string_view PathOf(const std::vector<std::string>& env) {
  for (const std::string& entry : env) {
    if (entry.size() > 5 && _strnicmp(entry.c_str(), "PATH=", 5) == 0) {
      return std::string_view(entry).substr(5);
    }
  }
  return {};
}

std::wstring EnvironmentBlock(const std::vector<std::string>& env) {
  std::wstring block;
  for (const std::string& entry : env) {
    block += platform::Utf8ToWide(entry);
    block += L'\0';
  }
  block += L'\0';
  return block;
}

// A pipe whose `child_end` the child inherits and whose other end stays here.
struct Pipe {
  UniqueHandle ours;
  UniqueHandle childs;
};

Result<Pipe> MakePipe(bool child_writes) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read = nullptr;
  HANDLE write = nullptr;
  if (!CreatePipe(&read, &write, &inherit, 0)) return LastError("cannot create a pipe");
  Pipe pipe;
  pipe.ours.reset(child_writes ? read : write);
  pipe.childs.reset(child_writes ? write : read);
  SetHandleInformation(pipe.ours.get(), HANDLE_FLAG_INHERIT, 0);
  return pipe;
}

// Chunks of output the reader threads hand to the Run() thread.
class OutputQueue {
 public:
  struct Chunk {
    bool is_stderr;
    std::string data;
  };
  void Push(bool is_stderr, std::string data) {
    {
      std::lock_guard lock(mutex_);
      chunks_.push_back({is_stderr, std::move(data)});
    }
    ready_.notify_one();
  }
  void Finish() {
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    ready_.notify_one();
  }
  // Waits until a chunk arrives or `deadline`; returns what arrived.
  std::deque<Chunk> Wait(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    ready_.wait_until(lock, deadline, [&] { return !chunks_.empty() || finished_ == 2; });
    return std::exchange(chunks_, {});
  }
  bool AllFinished() {
    std::lock_guard lock(mutex_);
    return finished_ == 2 && chunks_.empty();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Chunk> chunks_;
  int finished_ = 0;
};

void ReadUntilEnd(HANDLE pipe, bool is_stderr, OutputQueue* queue) {
  char buffer[65536];
  DWORD n = 0;
  while (ReadFile(pipe, buffer, sizeof buffer, &n, nullptr) && n > 0) {
    queue->Push(is_stderr, std::string(buffer, n));
  }
  queue->Finish();
}

void WriteAll(HANDLE pipe, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    DWORD n = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(data.size() - done, 65536));
    if (!WriteFile(pipe, data.data() + done, chunk, &n, nullptr) || n == 0) return;  // it quit
    done += n;
  }
}

// A new event whose name the child opens (kStopEventVariable). Named, not inherited: under wine
// the number of an inherited event, passed to a child of the daemon, named another object there
// (valid, inheritable, never set; why was not found), while a name means one object in every
// process. The name is random, and an object that already has it (another's, made to be set)
// is never used.
Result<UniqueHandle> CreateStopEvent(std::string& name) {
  std::random_device random;
  for (int attempt = 0; attempt < 4; ++attempt) {
    char text[64];
    std::snprintf(text, sizeof text, "Local\\guestbackup-stop-%08x%08x%08x", random(), random(),
                  random());
    UniqueHandle event(CreateEventW(nullptr, TRUE, FALSE, platform::Utf8ToWide(text).c_str()));
    if (event == nullptr) return LastError("cannot create the child's stop event");
    if (GetLastError() == ERROR_ALREADY_EXISTS) continue;
    name = text;
    return event;
  }
  return Internal("cannot create the child's stop event: its names are taken");
}

}  // namespace

Result<ProcessResult> Run(const ProcessSpec& spec) {
  ProcessResult result;
  result.timeout = spec.timeout;
  result.idle_timeout = spec.idle_timeout;
  if (spec.argv.empty()) return InvalidArgument("empty argv");
  const std::string command = FormatCommandLine(spec.argv);
  if (spec.CancelRequested()) {
    spdlog::debug("not starting (cancelled): {}", command);
    result.cancelled = true;
    return result;
  }
  for (const std::string& arg : spec.argv) {
    if (arg.find('\0') != std::string::npos) return InvalidArgument("NUL in an argument");
  }
  // The child's stop request, where Linux sends SIGTERM: manual-reset, so a child that looks
  // late still sees it.
  std::string stop_event_name;
  Result<UniqueHandle> made_stop_event = CreateStopEvent(stop_event_name);
  if (!made_stop_event.ok()) return made_stop_event.status();
  UniqueHandle stop_event = std::move(made_stop_event).value();
  std::vector<std::pair<std::string, std::string>> extra_env = spec.extra_env;
  extra_env.emplace_back(kStopEventVariable, stop_event_name);
  Result<std::vector<std::string>> env =
      BuildEnvironment(InheritedEnvironment(), extra_env, spec.unset_env);
  if (!env.ok()) return env.status();
  Result<std::string> found = LocateExecutable(spec.argv[0], PathOf(*env));
  if (!found.ok()) return found.status();
  const std::wstring program = platform::Utf8ToWide(*found);
  std::wstring line;
  AppendQuoted(line, program);
  const bool shell = IsShellArgv(spec.argv);
  for (std::size_t i = 1; i < spec.argv.size(); ++i) {
    line += L' ';
    if (shell && i + 1 == spec.argv.size()) {
      // cmd.exe /s /c takes what is between the first and the last quote as the command.
      line += L'"' + platform::Utf8ToWide(spec.argv[i]) + L'"';
    } else {
      AppendQuoted(line, platform::Utf8ToWide(spec.argv[i]));
    }
  }
  std::wstring block = EnvironmentBlock(*env);
  const std::wstring dir = platform::Utf8ToWide(spec.working_dir);
  if (!spec.working_dir.empty()) {
    const DWORD attributes = GetFileAttributesW(dir.c_str());
    if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0) {
      return NotFound("working directory " + spec.working_dir + " does not exist");
    }
  }

  Result<Pipe> out = MakePipe(true);
  if (!out.ok()) return out.status();
  Result<Pipe> err = MakePipe(true);
  if (!err.ok()) return err.status();
  Pipe in;
  if (spec.stdin_data.empty()) {
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    in.childs.reset(CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                OPEN_EXISTING, 0, nullptr));
  } else {
    Result<Pipe> made = MakePipe(false);
    if (!made.ok()) return made.status();
    in = std::move(*made);
  }

  UniqueHandle job(CreateJobObjectW(nullptr, nullptr));
  if (job == nullptr) return LastError("cannot create a job object");
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof limits);

  HANDLE inherited[3] = {in.childs.get(), out->childs.get(), err->childs.get()};
  SIZE_T attribute_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attribute_size);
  std::vector<unsigned char> attribute_storage(attribute_size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attribute_storage.data());
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &attribute_size) ||
      !UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited,
                                 sizeof inherited, nullptr, nullptr)) {
    return LastError("cannot restrict the handles the child inherits");
  }
  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = in.childs.get();
  startup.StartupInfo.hStdOutput = out->childs.get();
  startup.StartupInfo.hStdError = err->childs.get();
  startup.lpAttributeList = attributes;

  spdlog::debug("starting: {}", command);
  const auto start = Clock::now();
  PROCESS_INFORMATION started{};
  const BOOL created = CreateProcessW(program.c_str(), line.data(), nullptr, nullptr, TRUE,
                                      CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT |
                                          CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT,
                                      block.data(), dir.empty() ? nullptr : dir.c_str(),
                                      &startup.StartupInfo, &started);
  DeleteProcThreadAttributeList(attributes);
  if (!created) return LastError("cannot start " + spec.argv[0]);
  UniqueHandle process(started.hProcess);
  UniqueHandle thread(started.hThread);
  result.pid = static_cast<pid_t>(started.dwProcessId);
  if (!AssignProcessToJobObject(job.get(), process.get())) {
    TerminateProcess(process.get(), 1);
    return LastError("cannot put " + spec.argv[0] + " into a job object");
  }
  ResumeThread(thread.get());
  // The child has its ends; ours must go, or the pipes would never report their end.
  in.childs.reset();
  out->childs.reset();
  err->childs.reset();

  OutputQueue queue;
  std::thread stdout_reader(ReadUntilEnd, out->ours.get(), false, &queue);
  std::thread stderr_reader(ReadUntilEnd, err->ours.get(), true, &queue);
  std::thread stdin_writer;
  if (in.ours != nullptr) {
    stdin_writer = std::thread([&] {
      WriteAll(in.ours.get(), spec.stdin_data);
      in.ours.reset();
    });
  }

  TailBuffer stdout_tail(spec.stdout_limit);
  TailBuffer stderr_tail(spec.stderr_limit);
  auto last_output = start;
  std::optional<Clock::time_point> exited_at;
  bool killed = false;
  std::optional<Clock::time_point> stop_requested_at;
  const auto stop = [&] {
    if (stop_requested_at) return;
    if (SetEvent(stop_event.get())) {
      spdlog::debug("pid {}: asked to stop", result.pid);
    } else {
      spdlog::warn("pid {}: cannot ask it to stop: {}", result.pid,
                   platform::WindowsErrorText(GetLastError()));
    }
    stop_requested_at = Clock::now();
  };
  const auto kill = [&] {
    if (!killed) TerminateJobObject(job.get(), 1);
    killed = true;
  };
  for (;;) {
    const auto now = Clock::now();
    for (OutputQueue::Chunk& chunk : queue.Wait(now + kPollInterval)) {
      last_output = Clock::now();
      TailBuffer& tail = chunk.is_stderr ? stderr_tail : stdout_tail;
      tail.Append(chunk.data);
      const auto& callback = chunk.is_stderr ? spec.on_stderr : spec.on_stdout;
      if (callback) callback(chunk.data);
    }
    if (!exited_at && WaitForSingleObject(process.get(), 0) == WAIT_OBJECT_0) {
      exited_at = Clock::now();
    }
    if (exited_at) {
      if (queue.AllFinished() || Clock::now() - *exited_at >= kDrainAfterExit) break;
      continue;
    }
    if (stop_requested_at) {
      if (Clock::now() - *stop_requested_at >= spec.kill_grace) kill();
      continue;
    }
    const auto elapsed = Clock::now() - start;
    if (spec.timeout.count() > 0 && elapsed >= spec.timeout) {
      result.timed_out = true;
      stop();
    } else if (spec.idle_timeout.count() > 0 && Clock::now() - last_output >= spec.idle_timeout) {
      result.stalled = true;
      stop();
    } else if (spec.CancelRequested()) {
      result.cancelled = true;
      stop();
    }
  }
  // What the child left behind ends with the job; then the pipes end and the readers return.
  TerminateJobObject(job.get(), 1);
  CancelIoEx(out->ours.get(), nullptr);
  CancelIoEx(err->ours.get(), nullptr);
  stdout_reader.join();
  stderr_reader.join();
  if (stdin_writer.joinable()) stdin_writer.join();

  DWORD code = 0;
  GetExitCodeProcess(process.get(), &code);
  result.exited = !killed;
  result.exit_code = killed ? -1 : static_cast<int>(code);
  result.stdout_truncated = stdout_tail.truncated();
  result.stderr_truncated = stderr_tail.truncated();
  result.stdout_data = stdout_tail.Take();
  result.stderr_data = stderr_tail.Take();
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  spdlog::debug("pid {} ended after {} ms: {}: {}", result.pid, result.duration.count(),
                result.Describe(), command);
  return result;
}

}  // namespace guestbackup::process
