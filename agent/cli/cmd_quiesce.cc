// `guestbackup quiesce freeze|thaw`: what qemu-guest-agent's fsfreeze hook runs when KubeVirt
// freezes this guest (packaging/qemu-ga/fsfreeze-hook): `freeze` marks the state directory,
// so no job freezes over KubeVirt's freeze, then runs the policy's application_quiesce before
// hooks; `thaw` runs the after hooks owed to them and removes the mark.
#include <memory>

#include "cli/commands.h"
#include "full/freeze/guest_freeze.h"
#include "full/hooks/hooks.h"
#include "lean/context/agent_context.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

struct QuiesceOptions {
  std::string step;  // "freeze" or "thaw"
};

hooks::HookEnv QuiesceEnvironment(const std::string& step) {
  return {{"GUESTBACKUP_JOB", ""}, {"GUESTBACKUP_QUIESCE", step}};
}

int RunQuiesce(const QuiesceOptions& opts, CliState& state) {
  // As every run loads it (the state directory made when missing): the mark goes there.
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  const std::string& state_dir = context->state_dir;
  const policy::HooksSpec& hooks = context->policy.application_quiesce;
  if (opts.step == "freeze") {
    // Marked first: a job about to freeze must see KubeVirt's freeze coming.
    if (Status s = freeze::MarkGuestFrozen(state_dir, 0); !s.ok()) return ReportError(state, s);
    hooks::BeforeHooksResult before =
        hooks::RunBeforeHooks(hooks, QuiesceEnvironment(opts.step), nullptr);
    if (Status s = freeze::MarkGuestFrozen(state_dir, before.started); !s.ok()) {
      return ReportError(state, s);
    }
    if (!before.status.ok()) return ReportError(state, before.status);
    *state.out << "quiesced: " << before.started << " application_quiesce hook"
               << (before.started == 1 ? "" : "s") << " ran\n";
    return contract::kExitOk;
  }
  Result<std::size_t> started = freeze::ClearGuestFrozen(state_dir);
  if (!started.ok()) return ReportError(state, started.status());
  Status after = hooks::RunAfterHooks(hooks, *started, QuiesceEnvironment(opts.step), nullptr);
  if (!after.ok()) return ReportError(state, after);
  *state.out << "resumed\n";
  return contract::kExitOk;
}

}  // namespace

void RegisterQuiesceCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<QuiesceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "quiesce",
      "Quiesce (freeze) or resume (thaw) the applications for KubeVirt's freeze of this guest: "
      "qemu-guest-agent's fsfreeze hook runs it");
  cmd->add_option("step", opts->step, "freeze or thaw")
      ->required()
      ->check(CLI::IsMember({"freeze", "thaw"}));
  cmd->callback(
      [opts, &state] { state.action = [opts, &state] { return RunQuiesce(*opts, state); }; });
}

}  // namespace guestbackup::cli
