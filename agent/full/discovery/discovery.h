// Discovery: the server values a connection needs, each taken from the first source that has
// it, in this order: command-line flags, the policy file's `server`, KubeVirt config disks,
// cloud-init instance data, DNS SRV. Every value remembers where it came from, so
// `guestbackup discover` can show it and errors can name it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "full/discovery/candidates.h"
#include "lean/base/status.h"
#include "lean/context/discovery_options.h"
#include "lean/policy/policy.h"

namespace guestbackup::discovery {

// Which source decided one value, and what it said.
struct Decision {
  int source = -1;                 // index into DiscoveryReport::sources; -1 = none has it
  std::optional<Candidate> value;  // the candidate; absent when the source failed as a whole
  std::string problem;             // non-empty when the deciding source cannot give it
};

struct DiscoveryReport {
  std::vector<SourceReport> sources;  // in precedence order, as far as they were read
  std::array<Decision, kAllItems.size()> decisions;
  bool trust_by_ca = false;  // the CA, not the fingerprint, verifies the server

  const Decision& operator[](Item item) const { return decisions[static_cast<int>(item)]; }
  // Values with no usable decision ("fingerprint or ca" counts once), in item order.
  std::vector<std::string> Missing() const;
  // Every problem of every source read, formatted "source: key: problem" (notes included).
  std::vector<std::string> Problems() const;
};

// Reads the sources in precedence order. A value is decided by the first source that holds it
// (valid or not) or that failed as a whole (it might have held it). Sources below the last
// one needed are not read unless `read_all` (as `guestbackup discover` does).
DiscoveryReport Discover(const DiscoveryOptions& options, const policy::Policy& policy,
                         bool read_all);

// What a connection uses: every value present and valid.
struct ServerConfig {
  std::string url;
  std::string fingerprint;  // "" when a CA verifies the server
  std::string ca_file;      // a CA bundle file ("" when none, or when ca_pem is set)
  std::string ca_pem;       // a CA from a config disk, to be written to a file for kopia
  std::string username;
  std::string hostname;
  std::string password_file;  // read at connect time; "" when `password` holds the secret
  std::string password;       // from a config disk (registered as a secret)
  std::string password_origin;
};

// The ServerConfig, or kInvalidArgument naming each missing value, each problem that decided
// one, and every source tried with its outcome.
Result<ServerConfig> RequireServer(const DiscoveryReport& report);

}  // namespace guestbackup::discovery
