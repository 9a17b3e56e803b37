// What every command needs before it can talk to the server: the loaded policy, the state
// directory, the kopia binary, and (on demand) a connected kopia session with the password
// read from its 0600 file.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "core/base/status.h"
#include "core/discovery/discovery_options.h"
#include "core/kopia/connection.h"
#include "core/kopia/kopia_client.h"
#include "core/policy/policy.h"

namespace guestbackup::runner {

inline constexpr const char* kDefaultPolicyPath = "/etc/guestbackup/policy.yaml";
inline constexpr const char* kDefaultStateDir = "/var/lib/guestbackup";

struct AgentOptions {
  std::string policy_path = kDefaultPolicyPath;
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
// the state directory and kopia binary: flag > environment > policy > default.
Result<AgentContext> LoadAgentContext(const AgentOptions& options);

// The policy file alone, as LoadAgentContext loads it; creates nothing.
Result<policy::Policy> LoadPolicy(const std::string& policy_path);

// The state directory LoadAgentContext uses (flag > $GUESTBACKUP_STATE_DIR > policy >
// default), without creating it.
std::string ResolveStateDir(const AgentOptions& options, const policy::Policy& policy);

struct ServerSession {
  kopia::ServerEndpoint endpoint;
  kopia::ConnectionPaths paths;
  std::optional<kopia::KopiaClient> client;
};

// Discovers the server values the policy leaves out (core/discovery; kInvalidArgument naming
// what is missing and the sources tried), reads the password file (refused when looser than
// 0600) unless a config disk gave the password, and connects unless the stored connection
// still matches. kUnavailable when the server can't be reached or refuses us.
Result<ServerSession> OpenServerSession(const AgentContext& context,
                                        const std::atomic<bool>* cancel);

}  // namespace guestbackup::runner
