// A connected kopia session for the commands that talk to the server: the endpoint from the
// policy and discovery, the password from its 0600 file (or a Secret disk), a kopia config file
// of our own per server under the state directory.
#pragma once

#include <atomic>
#include <memory>
#include <optional>

#include "full/bandwidth/relay.h"
#include "full/kopia/connection.h"
#include "full/kopia/kopia_client.h"
#include "lean/base/status.h"
#include "lean/context/agent_context.h"

namespace guestbackup::runner {

struct ServerSession {
  kopia::ServerEndpoint endpoint;
  kopia::ConnectionPaths paths;
  // Set when a bandwidth limit applies: the client's kopia then talks to the server through it.
  std::unique_ptr<bandwidth::Relay> relay;
  std::optional<kopia::KopiaClient> client;
  int connect_retries = 0;  // connection attempts repeated because the server was unreachable
};

// Discovers the server values the policy leaves out (full/discovery; kInvalidArgument naming
// what is missing and the sources tried), reads the password file (refused when looser than
// 0600) unless a config disk gave the password, and connects unless the stored connection
// still matches, retrying while the server is unreachable (retry.h). kUnavailable when the
// server can't be reached or refuses us.
// `bandwidth` (a job's, or the policy's for other commands) limits what kopia then sends and
// receives: unless it is unlimited, kopia's later commands go through a relay (full/bandwidth)
// for as long as the session lives; connecting itself goes direct. The session's `snapshot
// list` and `restore` leave kopia's content cache closed (kopia::WriteUncachedConfig).
Result<ServerSession> OpenServerSession(const context::AgentContext& context,
                                        const policy::BandwidthSpec& bandwidth,
                                        const std::atomic<bool>* cancel);

}  // namespace guestbackup::runner
