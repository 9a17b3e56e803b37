#include "full/discovery/cloud_init.h"

#include <filesystem>

#include "lean/platform/bounded_read.h"

namespace guestbackup::discovery {

SourceReport ReadCloudInit(const SourcePaths& paths) {
  const std::string name = "cloud-init " + paths.instance_data;
  std::error_code ec;
  if (std::filesystem::exists(paths.instance_data, ec)) {
    Result<std::string> text =
        platform::ReadRegularFile(paths.instance_data, kMaxInstanceDataBytes);
    if (text.ok()) return ParseInstanceData(*text, name);
    SourceReport failed;
    failed.name = name;
    failed.state = SourceState::kFailed;
    failed.summary = text.status().message();
    return failed;
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
