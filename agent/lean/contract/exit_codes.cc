#include "lean/contract/exit_codes.h"

#include <array>

namespace guestbackup::contract {
namespace {

constexpr std::array<ExitCodeMeaning, 8> kTable = {{
    {kExitOk, "ok"},
    {kExitFailed, "failed"},
    {kExitUsage, "usage error or invalid policy"},
    {kExitPartial, "partial: the snapshot was saved but some files could not be read"},
    {kExitAlreadyRunning, "skipped: the job is already running, or the guest is frozen"},
    {kExitUnavailable, "server unreachable, TLS certificate mismatch, or authentication failed"},
    {kExitRecordLost,
     "the run's result could not be recorded (a full disk?); the job's next run records it "
     "from the server"},
    {kExitInterrupted, "interrupted (SIGINT/SIGTERM)"},
}};

// The run statuses that have an exit code of their own; a failed run takes its detail's.
constexpr std::array<std::pair<RunStatus, ExitCode>, 4> kRunStatusCodes = {{
    {RunStatus::kSucceeded, kExitOk},
    {RunStatus::kPartial, kExitPartial},
    {RunStatus::kSkipped, kExitAlreadyRunning},
    {RunStatus::kInterrupted, kExitInterrupted},
}};

}  // namespace

std::span<const ExitCodeMeaning> ExitCodeTable() { return kTable; }

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kPolicyError:
      return kExitUsage;
    case StatusCode::kPartial:
      return kExitPartial;
    case StatusCode::kAlreadyRunning:
      return kExitAlreadyRunning;
    case StatusCode::kUnavailable:
      return kExitUnavailable;
    case StatusCode::kInterrupted:
      return kExitInterrupted;
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:
    case StatusCode::kFailed:
    case StatusCode::kIo:
    case StatusCode::kInternal:
      return kExitFailed;
  }
  return kExitFailed;
}

int ExitCodeFor(RunStatus status, const Status& detail) {
  for (const auto& [run_status, code] : kRunStatusCodes) {
    if (run_status == status) return code;
  }
  const int code = ExitCodeFor(detail);
  return code == kExitOk ? kExitFailed : code;
}

RunStatus RunStatusForExit(const process::ProcessResult& result) {
  if (!result.exited) return result.cancelled ? RunStatus::kInterrupted : RunStatus::kFailed;
  for (const auto& [run_status, code] : kRunStatusCodes) {
    if (code == result.exit_code) return run_status;
  }
  return RunStatus::kFailed;
}

std::string ExitCodeHelp() {
  std::string text = "Exit codes:\n";
  for (const auto& [code, meaning] : kTable) {
    std::string number = std::to_string(static_cast<int>(code));
    number.resize(5, ' ');
    text += "  " + number + std::string(meaning) + "\n";
  }
  return text;
}

}  // namespace guestbackup::contract
