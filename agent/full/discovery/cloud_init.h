// The cloud-init source: the instance data cloud-init writes at boot
// (/run/cloud-init/instance-data.json, world-readable), or on Windows the ConfigDrive
// cloudbase-init reads. It gives the identity from KubeVirt's
// ConfigDrive instance_id, and any server value under the datasource metadata key
// "guestbackup" (a NoCloud meta-data file written by hand). Never a password: every user can
// read this file.
#pragma once

#include <cstddef>
#include <string>

#include "full/discovery/candidates.h"
#include "lean/base/status.h"
#include "lean/context/discovery_options.h"

namespace guestbackup::discovery {

// The metadata key holding guestbackup's own values: ds.meta_data.guestbackup.{url,
// fingerprint, ca_file, username, hostname, password_file}.
inline constexpr const char* kCloudInitKey = "guestbackup";

// The volume label of a ConfigDrive (OpenStack's, which KubeVirt's cloudInitConfigDrive follows).
inline constexpr const char* kConfigDriveLabel = "config-2";

// Real instance data is a few tens of KiB and a handful of levels deep; anything past these is
// refused unread (a crafted file must not cost the guest memory or crash discovery).
inline constexpr std::size_t kMaxInstanceDataBytes = std::size_t{4} * 1024 * 1024;
inline constexpr int kMaxInstanceDataDepth = 64;

// The source from instance-data.json's text; `name` names it in messages
// ("cloud-init /run/cloud-init/instance-data.json").
SourceReport ParseInstanceData(const std::string& json_text, const std::string& name);

// The source from a ConfigDrive's openstack/latest/meta_data.json (KubeVirt's
// cloudInitConfigDrive), read directly where no cloud-init keeps instance data: the same keys as
// ds.meta_data above (instance_id, the `guestbackup` mapping), named without the "ds.meta_data."
// prefix.
SourceReport ParseConfigDriveMetadata(const std::string& json_text, const std::string& name);

// The metadata file `path`, read (at most kMaxInstanceDataBytes, a regular file) and parsed by
// `parse` (ParseInstanceData or ParseConfigDriveMetadata) as the source `name`; a file that
// cannot be read makes the source failed, saying why.
SourceReport ReadMetadataFile(const std::string& path, const std::string& name,
                              SourceReport (*parse)(const std::string&, const std::string&));

// This system's instance metadata (cloud_init_read_*.cc):
// - Linux: paths.instance_data when it exists; otherwise, when paths.cloud_init is found on
//   PATH, what `cloud-init query --all` prints (it knows a run directory moved by cloud.cfg);
//   otherwise a kAbsent report.
// - Windows: cloudbase-init keeps no instance data; the ConfigDrive it reads at boot is a
//   CD-ROM volume labelled config-2, whose openstack\latest\meta_data.json is read here.
SourceReport ReadCloudInit(const SourcePaths& paths);

// Runs `<binary> query --all` (user-data and vendor-data left out: they may hold secrets and
// are not ours to read) and returns its JSON. `instance_data_file` "" = cloud-init's default.
// kNotFound when the binary is missing; kFailed with cloud-init's message when it fails.
Result<std::string> QueryCloudInit(const std::string& binary,
                                   const std::string& instance_data_file = "");

}  // namespace guestbackup::discovery
