#include "cli/exit_codes.h"

namespace guestbackup::cli {

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

int ExitCodeFor(history::RunStatus status, const Status& detail) {
  switch (status) {
    case history::RunStatus::kSucceeded:
      return kExitOk;
    case history::RunStatus::kPartial:
      return kExitPartial;
    case history::RunStatus::kInterrupted:
      return kExitInterrupted;
    case history::RunStatus::kSkipped:
      return kExitAlreadyRunning;
    case history::RunStatus::kRunning:
    case history::RunStatus::kFailed:
      break;
  }
  const int code = ExitCodeFor(detail);
  return code == kExitOk ? kExitFailed : code;
}

std::string ExitCodeHelp() {
  return "Exit codes:\n"
         "  0    ok\n"
         "  1    failed\n"
         "  2    usage error or invalid policy\n"
         "  3    partial: the snapshot was saved but some files could not be read\n"
         "  4    the job is already running\n"
         "  5    server unreachable, TLS certificate mismatch, or authentication failed\n"
         "  130  interrupted (SIGINT/SIGTERM)\n";
}

}  // namespace guestbackup::cli
