// What the command line and the environment tell discovery: the values given as flags, which
// config disks to read, and where the sources live (overridable so tests can point them at
// fixtures). Plain data, so the lean daemon can carry it without linking discovery.
#pragma once

#include <string>
#include <vector>

namespace guestbackup::discovery {

struct ServerFlags {
  std::string url;            // --server-url
  std::string fingerprint;    // --server-fingerprint
  std::string username;       // --username
  std::string hostname;       // --hostname
  std::string password_file;  // --password-file
  std::string service;        // --server-service NAME.NAMESPACE (for the DNS SRV lookup)
};

struct SourcePaths {
  // Config disks given with --config-disk (devices or ISO files); when empty, disks are found
  // by their serial under by_id_dir and sys_block_dir.
  std::vector<std::string> config_disks;
  std::string by_id_dir = "/dev/disk/by-id";  // $GUESTBACKUP_DISK_BY_ID_DIR
  std::string sys_block_dir = "/sys/block";   // $GUESTBACKUP_SYS_BLOCK_DIR
  std::string dev_dir = "/dev";               // where /sys/block/<name> appears as a device
  std::string instance_data = "/run/cloud-init/instance-data.json";  // $GUESTBACKUP_INSTANCE_DATA
  // `cloud-init query --all` is asked when instance_data does not exist; "" = never.
  std::string cloud_init = "cloud-init";  // $GUESTBACKUP_CLOUD_INIT
  std::string dns_server;  // "IP[:PORT]"; "" = the system's ($GUESTBACKUP_DNS_SERVER)
  std::string cluster_domain = "cluster.local";
};

struct DiscoveryOptions {
  ServerFlags flags;
  SourcePaths paths;
};

// SourcePaths with the environment overrides above applied to the defaults.
SourcePaths SourcePathsFromEnvironment();

}  // namespace guestbackup::discovery
