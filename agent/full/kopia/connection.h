// One kopia connection per server and identity under the state directory:
//   <state>/kopia/<key>/repository.config, cache/, logs/, connection.json (and the copies of
//   repository.config that WriteRelayedConfig and WriteUncachedConfig write beside it)
// A run reuses the stored connection when it still matches the policy, so the common path
// costs no extra kopia process; a changed URL, fingerprint or identity reconnects.
#pragma once

#include <string>

#include "full/kopia/kopia_client.h"
#include "lean/base/status.h"

namespace guestbackup::kopia {

struct ConnectionPaths {
  std::string dir;
  std::string config_file;
  std::string cache_dir;
  std::string log_dir;
  std::string record_file;  // what the stored connection was made for
};

ConnectionPaths ConnectionPathsFor(const std::string& state_dir, const ServerEndpoint& server);

// Creates the directories (0700) and connects unless the stored connection matches.
Status EnsureConnected(KopiaClient& client, const ServerEndpoint& server,
                       const ConnectionPaths& paths);

// A copy of the stored connection's kopia config that sends kopia to `url` instead (the
// bandwidth relay, full/bandwidth) and pins `fingerprint`, the server's certificate: kopia then
// checks the same certificate through the relay that it would have checked directly. Written
// (0600) beside the config; returns its path, for KopiaEnvironment::config_file.
Result<std::string> WriteRelayedConfig(const ConnectionPaths& paths, const std::string& url,
                                       const std::string& fingerprint);

// A copy of the kopia config at `config_file` with kopia's content cache off, beside it as
// <name>.uncached.config (0600, rewritten only when it changed); returns its path, for
// KopiaEnvironment::uncached_config_file. For the commands that read manifests only or each
// content once (snapshot list, restore): kopia then skips deriving the cache's key from the
// password (scrypt: about a fifth of a second and 64 MiB for every kopia process that opens
// the cache) and does not write what it restores into the cache a second time.
Result<std::string> WriteUncachedConfig(const std::string& config_file);

// Forgets the stored connection so the next EnsureConnected connects again.
void ForgetConnection(const ConnectionPaths& paths);

}  // namespace guestbackup::kopia
