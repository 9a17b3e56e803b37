// One kopia connection per server and identity under the state directory:
//   <state>/kopia/<key>/repository.config, cache/, logs/, connection.json
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

// Forgets the stored connection so the next EnsureConnected connects again.
void ForgetConnection(const ConnectionPaths& paths);

}  // namespace guestbackup::kopia
