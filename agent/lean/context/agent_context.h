// What every command starts from: the options of the command line, the loaded policy, the
// state directory and the kopia binary. (Connecting to the server: full/runner/server_session.h.)
#pragma once

#include <string>

#include "lean/base/status.h"
#include "lean/context/discovery_options.h"
#include "lean/platform/system_paths.h"
#include "lean/policy/policy.h"

namespace guestbackup::context {

struct AgentOptions {
  std::string policy_path = platform::DefaultPolicyPath();
  std::string state_dir;   // overrides $GUESTBACKUP_STATE_DIR and the policy's state_dir
  std::string kopia_path;  // overrides the policy's kopia and $GUESTBACKUP_KOPIA
  discovery::DiscoveryOptions discovery;  // server flags and where discovery looks
};

struct AgentContext {
  policy::Policy policy;
  std::string state_dir;
  std::string kopia_path;
  discovery::DiscoveryOptions discovery;

  std::string HistoryPath() const { return state_dir + "/history.db"; }
};

// Loads the policy (kPolicyError with every formatted diagnostic on failure) and resolves
// the state directory (flag > environment > policy > default) and the kopia binary (flag >
// policy > $GUESTBACKUP_KOPIA > the one a package bundled in libexec > kopia on PATH). The file is
// read once; with `policy_text`, the bytes that were loaded are kept there.
Result<AgentContext> LoadAgentContext(const AgentOptions& options,
                                      std::string* policy_text = nullptr);

// The policy file alone, as LoadAgentContext loads it; creates nothing.
Result<policy::Policy> LoadPolicy(const std::string& policy_path,
                                  std::string* policy_text = nullptr);

// The state directory LoadAgentContext uses (flag > $GUESTBACKUP_STATE_DIR > policy >
// default), without creating it.
std::string ResolveStateDir(const AgentOptions& options, const policy::Policy& policy);

}  // namespace guestbackup::context
