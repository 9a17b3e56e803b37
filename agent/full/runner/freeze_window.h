// A job's `freeze` around its snapshots: the wait for another tool's freeze of the guest
// (KubeVirt's) to end, the policy's application_quiesce before hooks, the freeze itself
// (full/freeze); then the thaw and the after hooks owed. Nothing at all for a job that freezes
// nothing.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

#include "full/freeze/freeze_session.h"
#include "full/hooks/hooks.h"
#include "lean/base/status.h"
#include "lean/context/agent_context.h"
#include "lean/policy/policy.h"

namespace guestbackup::runner {

class FreezeWindow {
 public:
  // Not ok when the snapshots must not be taken: the guest stayed frozen by another tool (a
  // "not now" status: the run is skipped), a quiesce hook failed, or the freeze failed.
  Status Open(const context::AgentContext& context, const policy::JobSpec& job,
              const hooks::HookEnv& env, const std::atomic<bool>* cancel);
  // Thaws and runs the quiesce after hooks owed (never cancelled); each failure, in order.
  std::vector<Status> Close(const context::AgentContext& context, const policy::JobSpec& job,
                            const hooks::HookEnv& env);

 private:
  std::optional<freeze::FreezeSession> frozen_;
  std::size_t quiesce_started_ = 0;
};

}  // namespace guestbackup::runner
