#include "full/discovery/cloud_init.h"

#include <filesystem>

namespace guestbackup::discovery {

SourceReport ReadCloudInit(const SourcePaths& paths) {
  const std::string name = "cloud-init " + paths.instance_data;
  std::error_code ec;
  if (std::filesystem::exists(paths.instance_data, ec)) {
    return ReadMetadataFile(paths.instance_data, name, ParseInstanceData);
  }
  SourceReport absent;
  absent.name = name;
  absent.summary = "no instance data (cloud-init has not run here)";
  if (paths.cloud_init.empty()) return absent;
  auto queried = QueryCloudInit(paths.cloud_init);
  if (queried.ok()) return ParseInstanceData(*queried, "cloud-init query --all");
  if (queried.status().code() != StatusCode::kNotFound) {
    absent.summary += "; " + queried.status().message();
  }
  return absent;
}

}  // namespace guestbackup::discovery
