// The KubeVirt config disk source: a ConfigMap (and optionally a Secret) attached to the VM as
// an ISO 9660 disk labelled "cfgdata", found by its serial and read without mounting.
#pragma once

#include <string>
#include <vector>

#include "full/discovery/candidates.h"
#include "lean/context/discovery_options.h"

namespace guestbackup::discovery {

inline constexpr const char* kConfigDiskSerial = "guestbackup";
inline constexpr const char* kSecretDiskSerial = "guestbackup-secret";
inline constexpr const char* kConfigDiskLabel = "cfgdata";

// The file names (ConfigMap/Secret keys) read from a disk; `ca.crt`, `serviceURL` and
// `tlsFingerprint` are what the controller's `<bsls>-client-config` ConfigMap holds.
inline constexpr const char* kKeyUrl = "serviceURL";
inline constexpr const char* kKeyFingerprint = "tlsFingerprint";
inline constexpr const char* kKeyCa = "ca.crt";
inline constexpr const char* kKeyUsername = "username";
inline constexpr const char* kKeyHostname = "hostname";
inline constexpr const char* kKeyPassword = "password";

struct FoundDisks {
  std::vector<std::string> devices;  // each distinct device with the serial (one is expected)
  std::string searched;              // where we looked, for "not found" messages
};

// Devices whose serial is `serial`: /dev/disk/by-id links named "<bus>-<serial>" or
// "..._<serial>" (virtio, SCSI, SATA as udev names them; partitions skipped), and, for guests
// without udev, /sys/block/<name>/serial (virtio-blk). Duplicates resolve to one device.
FoundDisks FindDisksBySerial(const SourcePaths& paths, const std::string& serial);

// One report per disk, in precedence order: the disks given with --config-disk, else the
// disk with serial "guestbackup" then the one with serial "guestbackup-secret". When no disk
// is given or found, one kAbsent report saying where it looked.
std::vector<SourceReport> ReadConfigDisks(const SourcePaths& paths);

// One disk (device or ISO file) as a source named `name` ("config disk /dev/vdb").
SourceReport ReadConfigDisk(const std::string& path, const std::string& name);

}  // namespace guestbackup::discovery
