#include "full/discovery/cloud_init.h"

#include <string>
#include <vector>

#include "full/discovery/volume_labels_win32.h"
#include "lean/platform/bounded_read.h"

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
  const std::string name = "ConfigDrive " + file;
  Result<std::string> text = platform::ReadRegularFile(file, kMaxInstanceDataBytes);
  if (!text.ok()) {
    SourceReport failed;
    failed.name = name;
    failed.state = SourceState::kFailed;
    failed.summary = text.status().message();
    return failed;
  }
  SourceReport report = ParseConfigDriveMetadata(*text, name);
  for (std::size_t i = 1; i < drives.size(); ++i) {
    report.notes.push_back(std::string("another volume labelled ") + kConfigDriveLabel + ", " +
                           drives[i] + ":, was not read");
  }
  return report;
}

}  // namespace guestbackup::discovery
