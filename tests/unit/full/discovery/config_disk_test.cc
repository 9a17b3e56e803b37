// The KubeVirt config disk source: finding the disks by serial, reading the controller's
// client-config keys and a Secret's password, and each key's validation message.
#include "full/discovery/config_disk.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "iso_builder.h"
#include "support/temp_dir.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;
using testing::BuildConfigIso;
using testing::TempDir;

constexpr const char* kFingerprint =
    "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f";

// A self-signed certificate (openssl req -x509, P-256) as the controller publishes in ca.crt.
std::string Certificate() {
  return testing::ReadFile(testing::FixturePath("discovery/bsls-ca.crt"));
}

// An image of `files` as KubeVirt makes it; `mode` like a file the admin left there.
std::string MakeDisk(const TempDir& dir, const std::string& name,
                     const std::map<std::string, std::string>& files, mode_t mode = 0600) {
  auto iso = BuildConfigIso((dir.path() / name).string(), files);
  EXPECT_TRUE(iso.ok()) << iso.status().ToString();
  chmod(iso->c_str(), mode);
  return *iso;
}

std::string Problem(const SourceReport& report, Item item) {
  if (!report[item]) return "(no value)";
  return FormatProblem(report, *report[item]);
}

TEST(ConfigDisk, TheControllersClientConfig) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso = MakeDisk(dir, "cm.iso",
                                   {{"serviceURL", "https://bsls-sample.openshift-adp.svc:51515"},
                                    {"tlsFingerprint", kFingerprint},
                                    {"ca.crt", Certificate()}});
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  ASSERT_EQ(r.state, SourceState::kRead) << r.summary;
  EXPECT_EQ(r.summary, "label cfgdata; keys: ca.crt, serviceURL, tlsFingerprint");
  EXPECT_EQ(r[Item::kUrl]->value, "https://bsls-sample.openshift-adp.svc:51515");
  EXPECT_EQ(r[Item::kUrl]->key, "serviceURL");
  EXPECT_EQ(r[Item::kFingerprint]->value, kFingerprint);
  EXPECT_EQ(r[Item::kCa]->value, Certificate());
  EXPECT_EQ(r[Item::kCa]->form, Form::kInline);
  EXPECT_EQ(r[Item::kCa]->detail, "1 certificate");
  EXPECT_FALSE(r[Item::kUsername]);
  EXPECT_FALSE(r[Item::kPassword]);
  EXPECT_TRUE(r.notes.empty());
}

TEST(ConfigDisk, ASecretDiskGivesThePasswordAndIdentity) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso = MakeDisk(
      dir, "secret.iso", {{"password", "s3cret-pw\n"}, {"username", "web01"}, {"hostname", "lab"}});
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  ASSERT_EQ(r.state, SourceState::kRead) << r.summary;
  EXPECT_EQ(r[Item::kPassword]->value, "s3cret-pw");  // one trailing newline dropped
  EXPECT_EQ(r[Item::kPassword]->form, Form::kInline);
  EXPECT_EQ(r[Item::kUsername]->value, "web01");
  EXPECT_EQ(r[Item::kHostname]->value, "lab");
}

// Each key is checked as the policy checks the same value; the message names disk and key.
TEST(ConfigDisk, EachKeysValidationMessage) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso = MakeDisk(dir, "bad.iso",
                                   {{"serviceURL", "http://bsls:51515"},
                                    {"tlsFingerprint", "3f9a"},
                                    {"ca.crt", "not a certificate"},
                                    {"username", "Web01"},
                                    {"hostname", "lab/1"},
                                    {"password", "\n"}});
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  ASSERT_EQ(r.state, SourceState::kRead) << r.summary;
  const std::string d = "config disk " + iso + ": ";
  EXPECT_EQ(Problem(r, Item::kUrl),
            d + "serviceURL: plain http is refused; use https://host[:port]");
  EXPECT_EQ(Problem(r, Item::kFingerprint),
            d + "tlsFingerprint: expected 64 hex digits (SHA-256), got 4");
  EXPECT_EQ(Problem(r, Item::kCa), d + "ca.crt: no PEM certificate in it");
  EXPECT_EQ(Problem(r, Item::kUsername),
            d + "username: invalid name \"Web01\": use lowercase letters, digits, \".\", \"_\" "
                "and \"-\"");
  EXPECT_EQ(Problem(r, Item::kHostname),
            d + "hostname: invalid name \"lab/1\": use lowercase letters, digits, \".\", \"_\" "
                "and \"-\"");
  EXPECT_EQ(Problem(r, Item::kPassword), d + "password: is empty");
}

TEST(ConfigDisk, FingerprintCharactersAndUrlPath) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso = MakeDisk(
      dir, "bad2.iso",
      {{"serviceURL", "https://bsls:51515/x"}, {"tlsFingerprint", std::string(63, 'a') + "z"}});
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  const std::string d = "config disk " + iso + ": ";
  EXPECT_EQ(Problem(r, Item::kUrl), d + "serviceURL: the URL must not have a path (\"/x\"); "
                                        "expected https://host[:port]");
  EXPECT_EQ(Problem(r, Item::kFingerprint),
            d + "tlsFingerprint: invalid character \"z\" in the fingerprint; expected 64 hex "
                "digits (SHA-256)");
}

// Upper case and ":" separators are accepted as in the policy, and stored as kopia wants them.
TEST(ConfigDisk, FingerprintIsNormalized) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  std::string colons;
  for (std::size_t i = 0; i < 64; i += 2) {
    colons += (i ? ":" : "") + std::string(kFingerprint).substr(i, 2);
  }
  for (char& c : colons) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string iso = MakeDisk(dir, "fp.iso", {{"tlsFingerprint", colons + "\n"}});
  EXPECT_EQ(ReadConfigDisk(iso, "d")[Item::kFingerprint]->value, kFingerprint);
}

TEST(ConfigDisk, APasswordOthersCanReadIsRefused) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso = MakeDisk(dir, "open.iso", {{"password", "pw-1234"}}, 0644);
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  EXPECT_EQ(Problem(r, Item::kPassword),
            "config disk " + iso +
                ": password: refused: the image has mode 0644; it must be "
                "0600 or stricter (chmod 600 " +
                iso + ")");
}

TEST(ConfigDisk, WrongLabelFailsTheDisk) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  auto iso =
      BuildConfigIso((dir.path() / "cd.iso").string(), {{"serviceURL", "https://a:1"}}, "config-2");
  ASSERT_TRUE(iso.ok());
  const SourceReport r = ReadConfigDisk(*iso, "config disk " + *iso);
  EXPECT_EQ(r.state, SourceState::kFailed);
  EXPECT_EQ(r.summary,
            "volume label is \"config-2\", expected \"cfgdata\" (a KubeVirt ConfigMap or Secret "
            "disk)");
  EXPECT_FALSE(r[Item::kUrl]);
}

TEST(ConfigDisk, AMisspeltKeyGetsASuggestionOtherKeysAreIgnored) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  TempDir dir;
  const std::string iso =
      MakeDisk(dir, "typo.iso", {{"serviceUrl", "https://a:1"}, {"README", "hello"}});
  const SourceReport r = ReadConfigDisk(iso, "config disk " + iso);
  EXPECT_FALSE(r[Item::kUrl]);
  EXPECT_EQ(r.notes, std::vector<std::string>{
                         "serviceUrl: not a key guestbackup reads; did you mean \"serviceURL\"?"});
}

TEST(ConfigDisk, UnreadableDiskFails) {
  TempDir dir;
  const std::string missing = (dir.path() / "vdz").string();
  const SourceReport r = ReadConfigDisk(missing, "config disk " + missing);
  EXPECT_EQ(r.state, SourceState::kFailed);
  EXPECT_EQ(r.summary, missing + ": cannot read: No such file or directory");
}

// The search: udev's by-id links for virtio, SCSI and SATA disks, and /sys/block/*/serial for
// virtio-blk without udev. Here both trees are built in a temporary directory and the
// "devices" are image files.
struct FakeMachine {
  TempDir dir;
  SourcePaths paths;
  FakeMachine() {
    paths.by_id_dir = (dir.path() / "by-id").string();
    paths.sys_block_dir = (dir.path() / "sys-block").string();
    paths.dev_dir = (dir.path() / "dev").string();
    fs::create_directories(paths.by_id_dir);
    fs::create_directories(paths.sys_block_dir);
    fs::create_directories(paths.dev_dir);
  }
  std::string Device(const std::string& name) const { return paths.dev_dir + "/" + name; }
  void Link(const std::string& by_id_name, const std::string& device_name) const {
    fs::create_symlink("../dev/" + device_name, fs::path(paths.by_id_dir) / by_id_name);
  }
  void Serial(const std::string& device_name, const std::string& serial) const {
    dir.WriteFile("sys-block/" + device_name + "/serial", serial + "\n");
  }
};

TEST(ConfigDisk, FindsDisksBySerialInByIdAndSysBlock) {
  FakeMachine m;
  m.dir.WriteFile("dev/vdb", "");
  m.dir.WriteFile("dev/sdc", "");
  m.dir.WriteFile("dev/vdd", "");
  m.Link("virtio-guestbackup", "vdb");
  m.Link("virtio-guestbackup-part1", "vdb");  // a partition, never the disk
  m.Link("virtio-notguestbackup", "vdd");     // another serial
  m.Link("scsi-0QEMU_QEMU_HARDDISK_guestbackup-secret", "sdc");
  m.Serial("vdb", "guestbackup");  // the same disk again
  m.Serial("vdd", "other");
  const std::string vdb = fs::canonical(m.Device("vdb")).string();
  const std::string sdc = fs::canonical(m.Device("sdc")).string();
  EXPECT_EQ(FindDisksBySerial(m.paths, "guestbackup").devices, std::vector<std::string>{vdb});
  EXPECT_EQ(FindDisksBySerial(m.paths, "guestbackup-secret").devices,
            std::vector<std::string>{sdc});
  EXPECT_TRUE(FindDisksBySerial(m.paths, "missing").devices.empty());
}

TEST(ConfigDisk, SysBlockSerialWithoutUdev) {
  FakeMachine m;
  m.dir.WriteFile("dev/vde", "");
  m.Serial("vde", "guestbackup");
  EXPECT_EQ(FindDisksBySerial(m.paths, "guestbackup").devices,
            std::vector<std::string>{fs::canonical(m.Device("vde")).string()});
}

TEST(ConfigDisk, ConfigThenSecretDiskFoundBySerial) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  FakeMachine m;
  MakeDisk(m.dir, "dev/vdb", {{"serviceURL", "https://bsls.ns.svc:51515"}});
  MakeDisk(m.dir, "dev/vdc", {{"password", "pw-1234"}});
  m.Link("virtio-guestbackup-secret", "vdc");
  m.Link("virtio-guestbackup", "vdb");
  const std::vector<SourceReport> reports = ReadConfigDisks(m.paths);
  ASSERT_EQ(reports.size(), 2u);
  const std::string vdb = fs::canonical(m.Device("vdb")).string();
  const std::string vdc = fs::canonical(m.Device("vdc")).string();
  EXPECT_EQ(reports[0].name, "config disk " + vdb);
  EXPECT_EQ(reports[0][Item::kUrl]->value, "https://bsls.ns.svc:51515");
  EXPECT_EQ(reports[1].name, "config disk " + vdc);
  EXPECT_EQ(reports[1][Item::kPassword]->value, "pw-1234");
}

TEST(ConfigDisk, NoDiskIsAbsentAndSaysWhereItLooked) {
  FakeMachine m;
  const std::vector<SourceReport> reports = ReadConfigDisks(m.paths);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].state, SourceState::kAbsent);
  EXPECT_EQ(reports[0].summary,
            "no disk with serial guestbackup or guestbackup-secret (looked in " +
                m.paths.by_id_dir + " and " + m.paths.sys_block_dir + "/*/serial)");
}

TEST(ConfigDisk, TwoDisksWithTheSerialFail) {
  FakeMachine m;
  m.dir.WriteFile("dev/vdb", "");
  m.dir.WriteFile("dev/vdc", "");
  m.Link("virtio-guestbackup", "vdb");
  m.Serial("vdc", "guestbackup");
  const std::vector<SourceReport> reports = ReadConfigDisks(m.paths);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].state, SourceState::kFailed);
  EXPECT_EQ(reports[0].summary,
            "2 disks have serial guestbackup: " + fs::canonical(m.Device("vdb")).string() + " " +
                fs::canonical(m.Device("vdc")).string());
}

TEST(ConfigDisk, DisksGivenOnTheCommandLineReplaceTheSearch) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  FakeMachine m;
  MakeDisk(m.dir, "dev/vdb", {{"serviceURL", "https://found:1"}});
  m.Link("virtio-guestbackup", "vdb");
  const std::string given = MakeDisk(m.dir, "given.iso", {{"serviceURL", "https://given:1"}});
  m.paths.config_disks = {given};
  const std::vector<SourceReport> reports = ReadConfigDisks(m.paths);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].name, "config disk " + given);
  EXPECT_EQ(reports[0][Item::kUrl]->value, "https://given:1");
}

}  // namespace
}  // namespace guestbackup::discovery
