// See config_disk_devices.h: on Linux, disks found by serial through udev's /dev/disk/by-id
// links and /sys/block, and a password's exposure judged by the image's owner and mode.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "full/discovery/config_disk_devices.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;

// by-id names as udev makes them: "virtio-<serial>", "scsi-0QEMU_QEMU_HARDDISK_<serial>",
// "ata-QEMU_HARDDISK_<serial>". Partition links end in "-partN" and never match.
bool ByIdNameHasSerial(const std::string& name, const std::string& serial) {
  if (name.size() <= serial.size() || !name.ends_with(serial)) return false;
  const char before = name[name.size() - serial.size() - 1];
  return before == '-' || before == '_';
}

std::string ReadSmallFile(const fs::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return TrimSpace(text);
}

}  // namespace

// A password on a disk is as secret as a credential file: refuse it when other users can read
// the image (an ISO file must be 0600 like a credential file; a block device not world-readable).
std::string PasswordExposure(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "";
  if (S_ISBLK(st.st_mode)) {
    if ((st.st_mode & S_IROTH) != 0) {
      return "refused: the device is readable by every user (chmod o-r " + path + ")";
    }
    return "";
  }
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return "refused: the image is owned by uid " + std::to_string(st.st_uid) +
           "; it must be owned by root or by the user running guestbackup";
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("refused: the image has mode ") + mode +
           "; it must be 0600 or stricter (chmod 600 " + path + ")";
  }
  return "";
}

FoundDisks FindDisksBySerial(const SourcePaths& paths, const std::string& serial) {
  FoundDisks found;
  found.searched = paths.by_id_dir + " and " + paths.sys_block_dir + "/*/serial";
  std::set<std::string> seen;  // canonical paths
  auto add = [&](const fs::path& device) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(device, ec);
    const std::string key = ec ? device.string() : canonical.string();
    if (seen.insert(key).second) found.devices.push_back(key);
  };
  std::error_code ec;
  std::vector<fs::path> by_id;
  for (const auto& entry : fs::directory_iterator(paths.by_id_dir, ec)) {
    if (ByIdNameHasSerial(entry.path().filename().string(), serial)) by_id.push_back(entry.path());
  }
  std::sort(by_id.begin(), by_id.end());
  for (const fs::path& p : by_id) add(p);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(paths.sys_block_dir, ec)) {
    if (ReadSmallFile(entry.path() / "serial") == serial) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) add(fs::path(paths.dev_dir) / name);
  return found;
}

}  // namespace guestbackup::discovery
