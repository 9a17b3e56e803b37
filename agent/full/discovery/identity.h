// The kopia identity (username@hostname) of a VM when nobody names it: on KubeVirt, the VM's
// name and namespace, which together are unique in the cluster, so each VM gets its own
// identity and the server's per-identity ACLs keep VMs apart (docs/discovery.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace guestbackup::discovery {

// `text` as a kopia name part (^[a-z0-9._-]+$): lowercased, every other character becomes "-".
// "" for "".
std::string KopiaName(std::string_view text);

struct Identity {
  std::string username;  // the VM's name
  std::string hostname;  // its namespace
};

// KubeVirt's ConfigDrive instance_id "<vm name>.<namespace>" (pkg/cloud-init: name + "." +
// namespace). A namespace has no dots, so it is what follows the last one. nullopt when there
// is no dot or a part is empty.
std::optional<Identity> IdentityFromInstanceId(std::string_view instance_id);

}  // namespace guestbackup::discovery
