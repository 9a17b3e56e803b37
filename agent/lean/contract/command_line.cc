#include "lean/contract/command_line.h"

#include <CLI/CLI.hpp>

#include "lean/contract/triggers.h"
#include "lean/platform/system_paths.h"

namespace guestbackup::contract {
namespace {

constexpr const char* kServerGroup = "Server (each overrides the policy and discovery)";

void AddServerOptions(CLI::App& app, discovery::DiscoveryOptions& d) {
  app.add_option("--server-url", d.flags.url, "kopia server URL, https://host[:port]")
      ->group(kServerGroup);
  app.add_option("--server-fingerprint", d.flags.fingerprint,
                 "SHA-256 of the server's certificate (64 hex digits)")
      ->group(kServerGroup);
  app.add_option("--username", d.flags.username, "User part of the kopia identity")
      ->group(kServerGroup);
  app.add_option("--hostname", d.flags.hostname, "Host part of the kopia identity")
      ->group(kServerGroup);
  app.add_option("--password-file", d.flags.password_file,
                 "File with the kopia password (0600, owned by root or you)")
      ->group(kServerGroup);
  app.add_option("--server-service", d.flags.service,
                 "Kubernetes Service NAME.NAMESPACE to find the URL by DNS SRV")
      ->group(kServerGroup);
  app.add_option("--config-disk", d.paths.config_disks,
                 "KubeVirt config disk (device or ISO image) to read instead of searching for "
                 "serial guestbackup; repeatable")
      ->group(kServerGroup);
}

void AddIfSet(std::vector<std::string>& argv, const char* flag, const std::string& value) {
  if (!value.empty()) argv.insert(argv.end(), {flag, value});
}

}  // namespace

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  context::AgentOptions& agent = options.agent;
  agent.discovery.paths = discovery::SourcePathsFromEnvironment();
  app.add_option("--policy", agent.policy_path, "Policy file")->capture_default_str();
  app.add_option("--state-dir", agent.state_dir,
                 "State directory (default: $GUESTBACKUP_STATE_DIR, policy state_dir, " +
                     platform::DefaultStateDir() + ")");
  app.add_option("--kopia", agent.kopia_path, "kopia binary (default: policy, PATH)");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  AddServerOptions(app, agent.discovery);
  // Inherited by the subcommands added from now on: an option a subcommand does not know is
  // tried on its parent, so global options may follow the subcommand.
  app.fallthrough();
}

std::vector<std::string> GlobalArgv(const GlobalOptions& options) {
  const context::AgentOptions& agent = options.agent;
  const discovery::ServerFlags& flags = agent.discovery.flags;
  std::vector<std::string> argv = {"--policy", agent.policy_path};
  AddIfSet(argv, "--state-dir", agent.state_dir);
  AddIfSet(argv, "--kopia", agent.kopia_path);
  if (options.log_level != kDefaultLogLevel) AddIfSet(argv, "--log-level", options.log_level);
  AddIfSet(argv, "--server-url", flags.url);
  AddIfSet(argv, "--server-fingerprint", flags.fingerprint);
  AddIfSet(argv, "--username", flags.username);
  AddIfSet(argv, "--hostname", flags.hostname);
  AddIfSet(argv, "--password-file", flags.password_file);
  AddIfSet(argv, "--server-service", flags.service);
  for (const std::string& disk : agent.discovery.paths.config_disks) {
    AddIfSet(argv, "--config-disk", disk);
  }
  return argv;
}

void AddRunArguments(CLI::App& run, RunArguments& arguments) {
  run.add_option("job", arguments.job, "Job name from the policy")->required();
  std::string names;
  for (const std::string& name : RunTriggerNames()) names += (names.empty() ? "" : ", ") + name;
  run.add_option("--trigger", arguments.trigger, "Recorded in the history: " + names)
      ->check(CLI::IsMember(RunTriggerNames()));
  run.add_flag("--json", arguments.json, "Print the result as JSON (and no progress)");
}

std::vector<std::string> RunArgv(std::string_view program, const GlobalOptions& options,
                                 const RunArguments& run) {
  std::vector<std::string> argv = {std::string(program)};
  const std::vector<std::string> globals = GlobalArgv(options);
  argv.insert(argv.end(), globals.begin(), globals.end());
  argv.emplace_back("run");
  if (run.json) argv.emplace_back("--json");
  argv.insert(argv.end(), {"--trigger", run.trigger, run.job});
  return argv;
}

std::vector<std::string> LastRunArgv(std::string_view program, const GlobalOptions& options,
                                     std::string_view job) {
  std::vector<std::string> argv = {std::string(program)};
  const std::vector<std::string> globals = GlobalArgv(options);
  argv.insert(argv.end(), globals.begin(), globals.end());
  argv.insert(argv.end(), {"history", "--json", "--job", std::string(job), "--limit", "1"});
  return argv;
}

}  // namespace guestbackup::contract
