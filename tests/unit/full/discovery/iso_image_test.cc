// Reading KubeVirt-style config disks without mounting: real images made by xorrisofs (or
// genisoimage) with the flags KubeVirt uses.
#include "full/discovery/iso_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "iso_builder.h"
#include "support/temp_dir.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;
using testing::BuildConfigIso;
using testing::BuildIsoFromDir;
using testing::TempDir;

const std::map<std::string, std::string> kClientConfig = {
    {"serviceURL", "https://bsls-sample.openshift-adp.svc:51515"},
    {"tlsFingerprint", "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f"},
    {"ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
};

TEST(IsoImage, ReadsTheLabelAndTheKeysOfAConfigMapDisk) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  auto iso = BuildConfigIso((dir.path() / "cm.iso").string(), kClientConfig);
  ASSERT_TRUE(iso.ok()) << iso.status().ToString();
  auto image = ReadIsoImage(*iso);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->label, "cfgdata");
  EXPECT_EQ(image->files, kClientConfig);  // ..data and the timestamped directory are not keys
  EXPECT_TRUE(image->skipped.empty());
}

// Older KubeVirt made the image without -follow-links, keeping the kubelet's links.
TEST(IsoImage, FollowsTheKubeletsLinksInsideTheImage) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  testing::WriteConfigMapVolume(dir.path() / "volume", kClientConfig);
  fs::create_symlink("/etc/hostname", dir.path() / "volume" / "outside");
  const std::string iso = (dir.path() / "links.iso").string();
  ASSERT_TRUE(BuildIsoFromDir(dir.path() / "volume", iso, "cfgdata", false).ok());
  auto image = ReadIsoImage(iso);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->files, kClientConfig);
  ASSERT_EQ(image->skipped.size(), 1u);
  EXPECT_EQ(image->skipped.at("outside"), "a link that does not lead to a file in the image");
}

TEST(IsoImage, LabelComesFromThePrimaryVolumeDescriptor) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  auto iso = BuildConfigIso((dir.path() / "cd.iso").string(), {{"x", "y"}}, "config-2");
  ASSERT_TRUE(iso.ok());
  auto label = ReadIsoLabel(*iso);
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(*label, "config-2");
}

TEST(IsoImage, FilesAboveTheLimitAreSkippedNotRead) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  auto iso = BuildConfigIso((dir.path() / "big.iso").string(),
                            {{"ca.crt", std::string(100, 'x')}, {"serviceURL", "https://a:1"}});
  ASSERT_TRUE(iso.ok());
  auto image = ReadIsoImage(*iso, 64);
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->files, (std::map<std::string, std::string>{{"serviceURL", "https://a:1"}}));
  EXPECT_EQ(image->skipped.at("ca.crt"), "larger than 64 bytes");
}

TEST(IsoImage, RefusesWhatIsNoIsoImage) {
  TempDir dir;
  const std::string zeros = dir.WriteFile("zeros.img", std::string(64 * 1024, '\0'));
  auto image = ReadIsoImage(zeros);
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(image.status().message(),
            zeros + ": not an ISO 9660 image (no primary volume descriptor)");
  const std::string tiny = dir.WriteFile("tiny.img", "abc");
  EXPECT_EQ(ReadIsoImage(tiny).status().message(),
            tiny + ": not an ISO 9660 image (no primary volume descriptor)");
}

TEST(IsoImage, MissingAndUnreadableImages) {
  TempDir dir;
  const std::string missing = (dir.path() / "none.iso").string();
  auto image = ReadIsoImage(missing);
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(image.status().message(), missing + ": cannot read: No such file or directory");
  if (geteuid() == 0) return;  // root reads a 0000 file anyway
  const std::string locked = dir.WriteFile("locked.iso", "x", 0000);
  EXPECT_EQ(ReadIsoImage(locked).status().code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace guestbackup::discovery
