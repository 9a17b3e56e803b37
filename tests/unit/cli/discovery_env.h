// Points discovery at an empty temporary machine for the duration of a CLI test: no config
// disks, no cloud-init instance data, no `cloud-init query`, the system's DNS untouched —
// so a test sees only the sources it sets up, whatever machine it runs on.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "support/environment.h"
#include "support/temp_dir.h"

namespace guestbackup::testing {

class IsolatedDiscovery {
 public:
  IsolatedDiscovery() {
    std::filesystem::create_directories(dir_.path() / "by-id");
    std::filesystem::create_directories(dir_.path() / "sys-block");
    Set("GUESTBACKUP_DISK_BY_ID_DIR", (dir_.path() / "by-id").string());
    Set("GUESTBACKUP_SYS_BLOCK_DIR", (dir_.path() / "sys-block").string());
    Set("GUESTBACKUP_DEV_DIR", (dir_.path() / "dev").string());
    Set("GUESTBACKUP_INSTANCE_DATA", instance_data());
    Set("GUESTBACKUP_CLOUD_INIT", "");
    Set("GUESTBACKUP_DNS_SERVER", std::nullopt);
  }
  ~IsolatedDiscovery() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        SetEnv(name, *value);
      } else {
        UnsetEnv(name);
      }
    }
  }
  IsolatedDiscovery(const IsolatedDiscovery&) = delete;
  IsolatedDiscovery& operator=(const IsolatedDiscovery&) = delete;

  const TempDir& dir() const { return dir_; }
  std::string by_id_dir() const { return (dir_.path() / "by-id").string(); }
  std::string sys_block_dir() const { return (dir_.path() / "sys-block").string(); }
  // Where cloud-init's instance data is looked for (absent until a test writes it).
  std::string instance_data() const { return (dir_.path() / "instance-data.json").string(); }

  void Set(const std::string& name, const std::optional<std::string>& value) {
    if (!saved_.count(name)) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    if (value) {
      SetEnv(name, *value);
    } else {
      UnsetEnv(name);
    }
  }

 private:
  TempDir dir_;
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace guestbackup::testing
