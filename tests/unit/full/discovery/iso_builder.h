// Real ISO 9660 images for the discovery tests, made the way KubeVirt makes ConfigMap and
// Secret disks: `xorrisofs -volid cfgdata -joliet -rock -graft-points -partition_cyl_align on
// -follow-links key=path...` (KubeVirt's pkg/config), or genisoimage with the same flags.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::testing {

// xorrisofs or genisoimage on PATH; nullopt when neither is installed.
std::optional<std::string> IsoTool();

#define GB_SKIP_WITHOUT_ISO_TOOL()                                                          \
  if (!::guestbackup::testing::IsoTool())                                                   \
  GTEST_SKIP() << "neither xorrisofs nor genisoimage is installed (scripts/setup installs " \
                  "xorriso)"

// Lays `files` out as the kubelet lays out a ConfigMap volume: the data in
// `..<timestamp>/`, `..data` a link to it, each key a link `key -> ..data/key`.
void WriteConfigMapVolume(const std::filesystem::path& dir,
                          const std::map<std::string, std::string>& files);

// Makes `iso` from every top-level entry of `dir` grafted at the root, as KubeVirt does.
// `follow_links` = false makes the image keep symbolic links (older KubeVirt releases).
Status BuildIsoFromDir(const std::filesystem::path& dir, const std::string& iso,
                       const std::string& label = "cfgdata", bool follow_links = true);

// WriteConfigMapVolume into `<iso>.d`, then BuildIsoFromDir; returns `iso`'s path.
Result<std::string> BuildConfigIso(const std::string& iso,
                                   const std::map<std::string, std::string>& files,
                                   const std::string& label = "cfgdata");

}  // namespace guestbackup::testing
