// See config_disk_devices.h: on Windows a config disk is a volume (a CD-ROM drive, as KubeVirt
// attaches it) labelled "cfgdata"; its serial comes from the storage driver
// (IOCTL_STORAGE_QUERY_PROPERTY) and it is read raw through \\.\<letter>:, which only
// administrators may open, with the same ISO 9660 reader as on Linux.
#include <windows.h>
#include <winioctl.h>

#include <vector>

#include "full/discovery/config_disk_devices.h"
#include "full/discovery/volume_labels_win32.h"
#include "lean/platform/credential_file.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::discovery {
namespace {

constexpr const char* kRawVolumePrefix = R"(\\.\)";

// The serial number the storage driver reports for the device under `volume` (\\.\D:).
std::string DeviceSerial(const std::string& volume) {
  platform::UniqueHandle device(CreateFileW(platform::Utf8ToWide(volume).c_str(), 0,
                                            FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                            OPEN_EXISTING, 0, nullptr));
  if (device.get() == INVALID_HANDLE_VALUE) return "";
  STORAGE_PROPERTY_QUERY query{};
  query.PropertyId = StorageDeviceProperty;
  query.QueryType = PropertyStandardQuery;
  std::vector<char> buffer(4096);
  DWORD returned = 0;
  if (!DeviceIoControl(device.get(), IOCTL_STORAGE_QUERY_PROPERTY, &query, sizeof query,
                       buffer.data(), static_cast<DWORD>(buffer.size()), &returned, nullptr) ||
      returned < sizeof(STORAGE_DEVICE_DESCRIPTOR)) {
    return "";
  }
  const auto* descriptor = reinterpret_cast<const STORAGE_DEVICE_DESCRIPTOR*>(buffer.data());
  const DWORD offset = descriptor->SerialNumberOffset;
  if (offset == 0 || offset >= returned) return "";
  const char* serial = buffer.data() + offset;
  return TrimSpace(std::string(serial, strnlen(serial, returned - offset)));
}

}  // namespace

FoundDisks FindDisksBySerial(const SourcePaths&, const std::string& serial) {
  FoundDisks found;
  found.searched = "the volumes labelled " + std::string(kConfigDiskLabel);
  for (const char letter : DrivesLabelled(kConfigDiskLabel)) {
    const std::string volume = std::string(kRawVolumePrefix) + letter + ":";
    if (DeviceSerial(volume) == serial) found.devices.push_back(volume);
  }
  return found;
}

std::string PasswordExposure(const std::string& path) {
  // A raw volume opens for administrators only; an image file must pass the credential rule.
  if (path.starts_with(kRawVolumePrefix)) return "";
  const Status status = platform::CheckCredentialFile(path);
  if (status.ok() || status.code() == StatusCode::kNotFound) return "";
  return "refused: " + status.message();
}

}  // namespace guestbackup::discovery
