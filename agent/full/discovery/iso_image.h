// Reads the top-level files of an ISO 9660 image — a device or an image file — without
// mounting it: the volume label from the primary volume descriptor, the files through
// libarchive. Made for KubeVirt's ConfigMap/Secret disks (label "cfgdata", one file per key).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::discovery {

struct IsoImage {
  std::string label;                           // volume identifier, trailing spaces removed
  std::map<std::string, std::string> files;    // wanted top-level name -> content
  std::map<std::string, std::string> skipped;  // wanted top-level name -> why it was not read
  std::set<std::string> others;                // top-level names not wanted (never read)
};

// What one image may cost. A crafted image can give thousands of names to one extent or hold
// millions of entries: only wanted names are read, each to a limit, all to a total.
struct IsoLimits {
  std::size_t max_file_bytes = std::size_t{1} << 20;
  std::size_t max_total_bytes = std::size_t{4} << 20;  // of content read, over all files
  std::size_t max_entries = 10'000;                    // names in the whole image
};

// The label alone: the 32 bytes at offset 32768 + 40 of the primary volume descriptor.
// kInvalidArgument when `path` holds no ISO 9660 volume or is neither a regular file nor a
// block device (a FIFO is refused, never opened for a blocking read); kIo/kPermissionDenied/
// kNotFound when it cannot be read.
Result<std::string> ReadIsoLabel(const std::string& path);

// The label and the `wanted` top-level regular files (a larger one than the limit, or one past
// the total, is in `skipped`; other names in `others`, unread). A top-level symbolic link is
// followed inside the image, as Kubernetes lays out a ConfigMap volume (key -> ..data/key,
// ..data -> ..2024_...), so content is read for every entry whose last component is wanted;
// links that leave the image or loop are skipped. Errors as ReadIsoLabel, or kInvalidArgument
// for a damaged image or one with more than `max_entries` names.
Result<IsoImage> ReadIsoImage(const std::string& path, const std::set<std::string>& wanted,
                              const IsoLimits& limits = {});

}  // namespace guestbackup::discovery
