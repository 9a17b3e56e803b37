// Which mount points a job may freeze: the mountinfo reader, and the checks against a list of
// mount points and a state directory (here the temporary directory's own file system).
#include "full/freeze/mount_checks.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace guestbackup::freeze {
namespace {

TEST(MountChecks, ReadsTheMountPointsOfMountinfoWithTheirEscapes) {
  const std::string mountinfo =
      "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "35 22 7:0 / /srv rw,relatime shared:2 - xfs /dev/loop0 rw\n"
      "36 22 7:1 / /mnt/with\\040space rw - ext4 /dev/loop1 rw\n";
  EXPECT_EQ(MountPointsOf(mountinfo), (std::vector<std::string>{"/", "/srv", "/mnt/with space"}));
}

TEST(MountChecks, AFreezeMustNameAMountPoint) {
  testing::TempDir temp;
  const Status status = CheckFreezable({"/srv/data"}, {"/", "/srv"}, temp.path().string());
  EXPECT_EQ(status.code(), StatusCode::kPolicyError);
  EXPECT_EQ(status.message(),
            "freeze: /srv/data is not a mount point, and freezing works on whole file systems: "
            "name the one that holds it (findmnt -T /srv/data)");
}

TEST(MountChecks, TheStateDirectorysFileSystemStaysWritable) {
  testing::TempDir temp;
  const std::string state_dir = (temp.path() / "state").string();
  std::filesystem::create_directories(state_dir);
  // The temporary directory, taken as a mount point, is the state directory's file system.
  const Status status = CheckFreezable({temp.path().string()}, {temp.path().string()}, state_dir);
  EXPECT_EQ(status.code(), StatusCode::kPolicyError);
  EXPECT_EQ(status.message(), "freeze: " + temp.path().string() +
                                  " is the file system of the state directory " + state_dir +
                                  ", which must stay writable during the snapshot (the "
                                  "history, kopia's cache)");
}

}  // namespace
}  // namespace guestbackup::freeze
