// Reads the top-level files of an ISO 9660 image — a device or an image file — without
// mounting it: the volume label from the primary volume descriptor, the files through
// libarchive. Made for KubeVirt's ConfigMap/Secret disks (label "cfgdata", one file per key).
#pragma once

#include <map>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::discovery {

struct IsoImage {
  std::string label;                           // volume identifier, trailing spaces removed
  std::map<std::string, std::string> files;    // top-level name -> content
  std::map<std::string, std::string> skipped;  // top-level name -> why it was not read
};

// The label alone: the 32 bytes at offset 32768 + 40 of the primary volume descriptor.
// kInvalidArgument when `path` holds no ISO 9660 volume; kIo/kPermissionDenied/kNotFound when it
// cannot be read.
Result<std::string> ReadIsoLabel(const std::string& path);

// The label and every top-level regular file of at most `max_file_bytes` (larger ones are in
// `skipped`). A top-level symbolic link is followed inside the image, as Kubernetes lays out
// a ConfigMap volume (key -> ..data/key, ..data -> ..2024_...); links that leave the image
// or loop are skipped. Errors as ReadIsoLabel, or kInvalidArgument for a damaged image.
Result<IsoImage> ReadIsoImage(const std::string& path, std::size_t max_file_bytes = 1 << 20);

}  // namespace guestbackup::discovery
