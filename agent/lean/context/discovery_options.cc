#include "lean/context/discovery_options.h"

#include <cstdlib>

namespace guestbackup::discovery {

SourcePaths SourcePathsFromEnvironment() {
  SourcePaths paths;
  auto env = [](const char* name, std::string& target) {
    if (const char* value = std::getenv(name); value != nullptr) target = value;
  };
  env("GUESTBACKUP_DISK_BY_ID_DIR", paths.by_id_dir);
  env("GUESTBACKUP_SYS_BLOCK_DIR", paths.sys_block_dir);
  env("GUESTBACKUP_DEV_DIR", paths.dev_dir);
  env("GUESTBACKUP_INSTANCE_DATA", paths.instance_data);
  env("GUESTBACKUP_CLOUD_INIT", paths.cloud_init);
  env("GUESTBACKUP_DNS_SERVER", paths.dns_server);
  env("GUESTBACKUP_CLUSTER_DOMAIN", paths.cluster_domain);
  return paths;
}

}  // namespace guestbackup::discovery
