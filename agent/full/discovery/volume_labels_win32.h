// Drives by their volume label (GetVolumeInformationW), compared without case as Windows
// compares labels: how the disks KubeVirt attaches (cfgdata, config-2) are found on Windows,
// where each is a CD-ROM drive with a letter.
#pragma once

#include <string_view>
#include <vector>

namespace guestbackup::discovery {

// The letters of the drives labelled `label`, A to Z.
std::vector<char> DrivesLabelled(std::string_view label);

}  // namespace guestbackup::discovery
