// Reading KubeVirt-style config disks without mounting: real images made by xorrisofs (or
// genisoimage) with the flags KubeVirt uses.
#include "full/discovery/iso_image.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "iso_builder.h"
#include "support/temp_dir.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;
using testing::BuildConfigIso;
using testing::BuildIsoFromDir;
using testing::TempDir;

std::set<std::string> Keys(const std::map<std::string, std::string>& files) {
  std::set<std::string> keys;
  for (const auto& [name, content] : files) keys.insert(name);
  return keys;
}

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
  auto image = ReadIsoImage(*iso, Keys(kClientConfig));
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
  std::set<std::string> wanted = Keys(kClientConfig);
  wanted.insert("outside");
  auto image = ReadIsoImage(iso, wanted);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->files, kClientConfig);
  ASSERT_EQ(image->skipped.size(), 1u);
  EXPECT_EQ(image->skipped.at("outside"), "a link that does not lead to a file in the image");
  EXPECT_EQ(image->others, (std::set<std::string>{"..data"}));
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
  auto image = ReadIsoImage(*iso, {"ca.crt", "serviceURL"}, {.max_file_bytes = 64});
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->files, (std::map<std::string, std::string>{{"serviceURL", "https://a:1"}}));
  EXPECT_EQ(image->skipped.at("ca.crt"), "larger than 64 bytes");
}

// 3,000 names sharing one 1 MiB extent (a 1.9 MB image) used to cost 3.1 GB: names that are
// not keys are never read, and a key's content is read once (through the hard link to
// whichever name holds the extent), to the limits.
TEST(IsoImage, ManyNamesOfOneExtentCostOneRead) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const fs::path volume = dir.path() / "volume";
  fs::create_directory(volume);
  const std::string megabyte(std::size_t{1} << 20, 'x');
  dir.WriteFile("volume/f0", megabyte);
  for (int i = 1; i < 3000; ++i)
    fs::create_hard_link(volume / "f0", volume / ("f" + std::to_string(i)));
  fs::create_hard_link(volume / "f0", volume / "serviceURL");
  const std::string iso = (dir.path() / "bomb.iso").string();
  ASSERT_TRUE(BuildIsoFromDir(volume, iso).ok());
  EXPECT_LT(fs::file_size(iso), std::uintmax_t{4} << 20);  // the names do share one extent

  auto image = ReadIsoImage(iso, {"serviceURL", "username"});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->others.size(), 3000u);
  ASSERT_EQ(image->files.size(), 1u);  // a hard link to "f0", read through it
  EXPECT_EQ(image->files.at("serviceURL"), megabyte);
  EXPECT_TRUE(image->skipped.empty());

  auto tight = ReadIsoImage(iso, {"serviceURL"}, {.max_entries = 100});
  EXPECT_EQ(tight.status().message(),
            iso + ": more than 100 names in the image; a config disk holds a few");
}

// The same key in many directories stops at the total: a crafted image cannot make the reader
// hold more than max_total_bytes.
TEST(IsoImage, ContentReadStopsAtTheTotal) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  auto iso = BuildConfigIso((dir.path() / "t.iso").string(),
                            {{"ca.crt", std::string(100, 'c')}, {"serviceURL", "https://a:1"}});
  ASSERT_TRUE(iso.ok());
  auto image = ReadIsoImage(*iso, {"ca.crt", "serviceURL"}, {.max_total_bytes = 50});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->files, (std::map<std::string, std::string>{{"serviceURL", "https://a:1"}}));
  EXPECT_EQ(image->skipped.at("ca.crt"), "past the 50 bytes read in all");
}

// A FIFO given as --config-disk is refused before it is opened: a blocking open would hang.
#if !defined(_WIN32)  // FIFOs and character devices are Linux files
TEST(IsoImage, AFifoOrACharacterDeviceIsRefusedUnopened) {
  TempDir dir;
  const std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(ReadIsoImage(fifo, {}).status().message(),
            fifo + ": not an image file or a block device (a FIFO)");
  EXPECT_EQ(ReadIsoLabel("/dev/zero").status().message(),
            "/dev/zero: not an image file or a block device (a character device)");
}
#endif

TEST(IsoImage, RefusesWhatIsNoIsoImage) {
  TempDir dir;
  const std::string zeros = dir.WriteFile("zeros.img", std::string(64 * 1024, '\0'));
  auto image = ReadIsoImage(zeros, {});
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(image.status().message(),
            zeros + ": not an ISO 9660 image (no primary volume descriptor)");
  const std::string tiny = dir.WriteFile("tiny.img", "abc");
  EXPECT_EQ(ReadIsoImage(tiny, {}).status().message(),
            tiny + ": not an ISO 9660 image (no primary volume descriptor)");
}

#if !defined(_WIN32)  // Unix modes
TEST(IsoImage, MissingAndUnreadableImages) {
  TempDir dir;
  const std::string missing = (dir.path() / "none.iso").string();
  auto image = ReadIsoImage(missing, {});
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(image.status().message(), missing + ": cannot read: No such file or directory");
  if (geteuid() == 0) return;  // root reads a 0000 file anyway
  const std::string locked = dir.WriteFile("locked.iso", "x", 0000);
  EXPECT_EQ(ReadIsoImage(locked, {}).status().code(), StatusCode::kPermissionDenied);
}
#endif

// Found by tests/fuzz (regressions/iso_image): a descriptor whose root directory claims 4 GiB
// made libarchive allocate that much before it found the image short, and a name libarchive
// cannot convert (a crafted Joliet name) made the reader throw. The first is refused, the
// second read without the name.
std::string FuzzRegression(const std::string& name) {
  return std::string(GUESTBACKUP_SOURCE_DIR) + "/tests/fuzz/regressions/iso_image/" + name;
}

TEST(IsoImage, ARootDirectoryPastTheImagesEndIsRefused) {
  auto image = ReadIsoImage(FuzzRegression("root-directory-of-4-gib.iso"), {"serviceURL"});
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().message(),
            FuzzRegression("root-directory-of-4-gib.iso") +
                ": damaged ISO 9660 image: its volume or root directory ends past the image's "
                "49260 bytes");
}

TEST(IsoImage, ANameLibarchiveCannotConvertIsSkipped) {
  auto image = ReadIsoImage(FuzzRegression("name-libarchive-cannot-convert.iso"), {"serviceURL"});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->label, "cfgdata");
  EXPECT_TRUE(image->files.empty());
  EXPECT_EQ(image->others,
            (std::set<std::string>{"..data", "..datameRL", "hostnamerprint", "username"}));
}

}  // namespace
}  // namespace guestbackup::discovery
