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

// Forgets the stored connection so the next EnsureConnected connects again.
void ForgetConnection(const ConnectionPaths& paths);

}  // namespace guestbackup::kopia
