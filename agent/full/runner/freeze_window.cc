#include "full/runner/freeze_window.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "full/freeze/guest_freeze.h"
#include "lean/platform/install_layout.h"

namespace guestbackup::runner {

Status FreezeWindow::Open(const context::AgentContext& context, const policy::JobSpec& job,
                          const hooks::HookEnv& env, const std::atomic<bool>* cancel) {
  if (job.freeze.empty()) return Status::Ok();
  // Never over another tool's freeze of the guest: wait for its thaw, or skip.
  GB_RETURN_IF_ERROR(
      freeze::WaitForGuestThaw(context.state_dir, freeze::QgaStateDir(), job.freeze_timeout));
  // The application hooks quiesce what they look after, as around KubeVirt's freeze.
  hooks::BeforeHooksResult quiesce =
      hooks::RunBeforeHooks(context.policy.application_quiesce, env, cancel);
  quiesce_started_ = quiesce.started;
  if (!quiesce.status.ok()) {
    return quiesce.status.WithContext("application_quiesce, snapshot skipped");
  }
  auto started = freeze::FreezeSession::Start(job.freeze, job.freeze_timeout, context.state_dir,
                                              platform::DaemonExecutable());
  if (!started.ok()) return started.status().WithContext("snapshot skipped");
  frozen_.emplace(std::move(*started));
  spdlog::info("job {}: froze {} (guard pid {})", job.name, job.freeze.size(),
               frozen_->guard_pid());
  return Status::Ok();
}

std::vector<Status> FreezeWindow::Close(const context::AgentContext& context,
                                        const policy::JobSpec& job, const hooks::HookEnv& env) {
  std::vector<Status> failures;
  if (frozen_) {
    if (Status thawed = frozen_->Thaw(); !thawed.ok()) failures.push_back(thawed);
    frozen_.reset();
    spdlog::info("job {}: thawed", job.name);
  }
  if (quiesce_started_ > 0) {
    Status resumed =
        hooks::RunAfterHooks(context.policy.application_quiesce, quiesce_started_, env, nullptr);
    if (!resumed.ok()) failures.push_back(resumed.WithContext("application_quiesce"));
    quiesce_started_ = 0;
  }
  return failures;
}

}  // namespace guestbackup::runner
