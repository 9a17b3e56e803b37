// `guestbackup policy check [FILE]`, `policy init`, `policy docs`: the policy file's tools,
// all driven by the one schema table in lean/policy.

#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "lean/contract/exit_codes.h"
#include "lean/platform/atomic_file.h"
#include "lean/policy/policy_loader.h"
#include "lean/policy/policy_schema.h"

namespace guestbackup::cli {
namespace {

struct CheckOptions {
  std::string file;
  bool no_local_files = false;
};

int RunCheck(const CheckOptions& opts, CliState& state) {
  const std::string file = opts.file.empty() ? state.options.agent.policy_path : opts.file;
  const policy::LoadResult loaded =
      policy::LoadPolicyFile(file, nullptr, {.check_local_files = !opts.no_local_files});
  if (!loaded.policy) {
    const std::size_t errors = loaded.diagnostics.size() + loaded.more;
    *state.err << policy::FormatDiagnostics(loaded) << "\n"
               << errors << (errors == 1 ? " error" : " errors") << " in " << file << "\n";
    return contract::kExitUsage;
  }
  std::size_t paths = 0;
  for (const auto& j : loaded.policy->jobs) paths += j.paths.size();
  *state.out << file << ": ok (" << loaded.policy->jobs.size()
             << (loaded.policy->jobs.size() == 1 ? " job, " : " jobs, ") << paths
             << (paths == 1 ? " path)" : " paths)") << "\n";
  return contract::kExitOk;
}

struct InitOptions {
  std::string file;
  bool force = false;
};

// Writes the commented sample to stdout, or to FILE (mode 0600; never over an existing file
// unless --force).
int RunInit(const InitOptions& opts, CliState& state) {
  const std::string sample = policy::GenerateSamplePolicy();
  if (opts.file.empty()) {
    *state.out << sample;
    return contract::kExitOk;
  }
  std::error_code ec;
  if (std::filesystem::exists(opts.file, ec) && !opts.force) {
    return ReportError(state,
                       InvalidArgument(opts.file + " already exists; pass --force to replace it"));
  }
  if (Status s = platform::WriteFileAtomically(opts.file, sample, 0600); !s.ok()) {
    return ReportError(state, s);
  }
  *state.out << "wrote " << opts.file << "; edit it, then run: guestbackup policy check "
             << opts.file << "\n";
  return contract::kExitOk;
}

}  // namespace

void RegisterPolicyCommand(CLI::App& app, CliState& state) {
  CLI::App* policy = app.add_subcommand("policy", "Check the policy file, or print a sample");
  policy->require_subcommand(1);

  auto check = std::make_shared<CheckOptions>();
  CLI::App* cmd = policy->add_subcommand(
      "check",
      "Report every error in a policy file (exit 2), also in the files it names: the password "
      "file (root's or yours, 0600), CA bundles, the kopia binary");
  cmd->add_option("file", check->file, "Policy file (default: --policy)");
  cmd->add_flag("--no-local-files", check->no_local_files,
                "Check the file alone, not the files it names (for a policy checked away from "
                "the machine it is for, e.g. in cloud-init user-data)");
  cmd->callback(
      [check, &state] { state.action = [check, &state] { return RunCheck(*check, state); }; });

  auto init = std::make_shared<InitOptions>();
  CLI::App* init_cmd = policy->add_subcommand("init", "Print (or write) a commented sample policy");
  init_cmd->add_option("file", init->file, "Write here (mode 0600) instead of stdout");
  init_cmd->add_flag("--force", init->force, "Replace an existing file");
  init_cmd->callback(
      [init, &state] { state.action = [init, &state] { return RunInit(*init, state); }; });

  CLI::App* docs = policy->add_subcommand("docs", "Print the policy reference (Markdown)");
  docs->callback([&state] {
    state.action = [&state] {
      *state.out << policy::GeneratePolicyDocs();
      return static_cast<int>(contract::kExitOk);
    };
  });
}

}  // namespace guestbackup::cli
