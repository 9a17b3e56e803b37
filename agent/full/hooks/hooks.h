// Before/after hooks of a job, with `finally` semantics: after-hook i undoes before-hook i
// and runs whenever before-hook i was started (even if it failed), in reverse order; after
// hooks with no before partner always run, after the paired ones, in file order.
#pragma once

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::hooks {

struct HookResult {
  std::string name;
  bool ok = false;
  bool ignored_failure = false;  // failed, but on_failure: continue
  std::string detail;            // "exit code 1", "timed out after 30s (killed)"
  std::string output_tail;       // last lines of its stderr/stdout, for the log
};

struct BeforeHooksResult {
  std::size_t started = 0;  // how many before hooks were started
  std::vector<HookResult> results;
  Status status;  // not ok when a hook with on_failure: abort failed
};

using HookEnv = std::vector<std::pair<std::string, std::string>>;

// Runs the before hooks in order, stopping at the first failure whose mode is abort.
// `cancel` stops a running hook (its group is killed) and stops starting new ones.
BeforeHooksResult RunBeforeHooks(const policy::HooksSpec& hooks, const HookEnv& env,
                                 const std::atomic<bool>* cancel);

// Runs the after hooks owed for `before_started` started before hooks (see header comment).
// Never cancelled: undoing a freeze matters most when the run was interrupted. Returns
// not-ok when a hook with on_failure: abort failed; all owed hooks run regardless.
Status RunAfterHooks(const policy::HooksSpec& hooks, std::size_t before_started, const HookEnv& env,
                     std::vector<HookResult>* results);

// The indexes of after hooks owed, in the order they run (exposed for tests and docs).
std::vector<std::size_t> AfterHookOrder(std::size_t before_count, std::size_t after_count,
                                        std::size_t before_started);

}  // namespace guestbackup::hooks
