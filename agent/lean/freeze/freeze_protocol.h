// The conversation between the agent and its freeze guard (`guestbackup-daemon freeze-guard`),
// one line per step over the guard's stdin (agent to guard) and stdout (guard to agent), and
// the guard's exit codes. Both sides take every word from here.
#pragma once

#include <string_view>

namespace guestbackup::freeze {

// guestbackup-daemon's subcommand that runs the guard.
inline constexpr std::string_view kGuardSubcommand = "freeze-guard";

// Guard to agent. "frozen <mount>" for each file system as it is frozen, in the given order;
// "ready" once all are; "thawed <mount>" for each as it is thawed; "timeout" when the freeze
// outlived its limit (every one is thawed by then); "error <message>" when one could not be
// frozen or thawed (nothing the guard froze stays frozen after a freeze error).
inline constexpr std::string_view kFrozen = "frozen";
inline constexpr std::string_view kReady = "ready";
inline constexpr std::string_view kThawed = "thawed";
inline constexpr std::string_view kTimedOut = "timeout";
inline constexpr std::string_view kError = "error";

// Agent to guard: the snapshot is done, thaw now. End of input (the agent died, or closed the
// pipe) means the same, at once.
inline constexpr std::string_view kThaw = "thaw";

// How the guard ended: every file system it froze is thawed in each case.
enum GuardExit : int {
  kThawedOnRequest = 0,  // "thaw" received
  kCouldNotFreeze = 1,   // a file system refused FIFREEZE (or the arguments were unusable)
  kAgentGone = 2,        // its input ended before "thaw"
  kTimedOutExit = 3,     // the freeze outlived its limit
  kSignalled = 4,        // SIGTERM, SIGINT or SIGHUP (a service manager stopping the agent)
  kThawFailed = 5,       // FITHAW failed for a reason other than "not frozen"
};

}  // namespace guestbackup::freeze
