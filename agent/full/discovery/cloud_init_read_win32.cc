#include "full/discovery/cloud_init.h"

#include <string>
#include <vector>

#include "full/discovery/volume_labels_win32.h"

namespace guestbackup::discovery {

SourceReport ReadCloudInit(const SourcePaths&) {
  const std::vector<char> drives = DrivesLabelled(kConfigDriveLabel);
  if (drives.empty()) {
    SourceReport absent;
    absent.name = "ConfigDrive";
    absent.summary = "no volume labelled " + std::string(kConfigDriveLabel) +
                     " (KubeVirt's cloudInitConfigDrive, which cloudbase-init reads)";
    return absent;
  }
  const std::string file = std::string(1, drives.front()) + R"(:\openstack\latest\meta_data.json)";
  SourceReport report = ReadMetadataFile(file, "ConfigDrive " + file, ParseConfigDriveMetadata);
  for (std::size_t i = 1; i < drives.size(); ++i) {
    report.notes.push_back(std::string("another volume labelled ") + kConfigDriveLabel + ", " +
                           drives[i] + ":, was not read");
  }
  return report;
}

}  // namespace guestbackup::discovery
