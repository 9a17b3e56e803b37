#include "lean/context/agent_context.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "lean/platform/install_layout.h"
#include "lean/policy/policy_loader.h"

namespace guestbackup::context {
namespace {

std::string FirstSet(std::initializer_list<std::string> candidates) {
  for (const auto& c : candidates) {
    if (!c.empty()) return c;
  }
  return {};
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

Result<policy::Policy> LoadPolicy(const std::string& policy_path, std::string* policy_text) {
  policy::LoadResult loaded = policy::LoadPolicyFile(policy_path, policy_text);
  if (!loaded.policy) {
    return PolicyError(policy::FormatDiagnostics(loaded));
  }
  return std::move(*loaded.policy);
}

std::string ResolveStateDir(const AgentOptions& options, const policy::Policy& policy) {
  return FirstSet({options.state_dir, Env("GUESTBACKUP_STATE_DIR"), policy.state_dir,
                   platform::DefaultStateDir()});
}

Result<AgentContext> LoadAgentContext(const AgentOptions& options, std::string* policy_text) {
  auto policy = LoadPolicy(options.policy_path, policy_text);
  if (!policy.ok()) return policy.status();
  AgentContext ctx;
  ctx.policy = std::move(policy).value();
  ctx.state_dir = ResolveStateDir(options, ctx.policy);
  ctx.discovery = options.discovery;
  ctx.kopia_path = FirstSet({options.kopia_path, ctx.policy.kopia_path, Env("GUESTBACKUP_KOPIA"),
                             platform::BundledKopia(platform::ExecutableDirectory()), "kopia"});
  // Created private; an existing directory keeps the mode its owner gave it (the state dir
  // may be shared with other tools, and chmod of e.g. /tmp would be a disaster).
  std::error_code ec;
  if (!std::filesystem::exists(ctx.state_dir, ec)) {
    std::filesystem::create_directories(ctx.state_dir, ec);
    if (ec) return IoError("cannot create state directory " + ctx.state_dir + ": " + ec.message());
    chmod(ctx.state_dir.c_str(), 0700);
  }
  return ctx;
}

}  // namespace guestbackup::context
