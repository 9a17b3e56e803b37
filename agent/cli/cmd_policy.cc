// `guestbackup policy check [FILE]`, `policy init`, `policy docs`: the policy file's tools,
// all driven by the one schema table in core/policy.
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/policy/policy_loader.h"

namespace guestbackup::cli {
namespace {

struct CheckOptions {
  std::string file;
};

int RunCheck(const CheckOptions& opts, CliState& state) {
  const std::string file = opts.file.empty() ? state.agent.policy_path : opts.file;
  const policy::LoadResult loaded = policy::LoadPolicyFile(file);
  for (const auto& d : loaded.diagnostics) *state.err << policy::FormatDiagnostic(d) << "\n";
  if (!loaded.policy) {
    *state.err << loaded.diagnostics.size()
               << (loaded.diagnostics.size() == 1 ? " error" : " errors") << " in " << file << "\n";
    return kExitUsage;
  }
  std::size_t paths = 0;
  for (const auto& j : loaded.policy->jobs) paths += j.paths.size();
  *state.out << file << ": ok (" << loaded.policy->jobs.size()
             << (loaded.policy->jobs.size() == 1 ? " job, " : " jobs, ") << paths
             << (paths == 1 ? " path)" : " paths)") << "\n";
  return kExitOk;
}

}  // namespace

void RegisterPolicyCommand(CLI::App& app, CliState& state) {
  CLI::App* policy = app.add_subcommand("policy", "Check the policy file, or print a sample");
  policy->require_subcommand(1);

  auto check = std::make_shared<CheckOptions>();
  CLI::App* cmd = policy->add_subcommand("check", "Report every error in a policy file (exit 2)");
  cmd->add_option("file", check->file, "Policy file (default: --policy)");
  cmd->callback([check, &state] { state.action = [check, &state] { return RunCheck(*check, state); }; });
}

}  // namespace guestbackup::cli
