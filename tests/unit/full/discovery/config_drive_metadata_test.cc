// A ConfigDrive's openstack/latest/meta_data.json read directly, as guestbackup.exe reads the
// drive cloudbase-init uses on Windows: KubeVirt's instance_id gives the identity, a
// `guestbackup` mapping gives server values, with the keys named as the file names them. Built
// for both platforms (it reads only text).
#include <gtest/gtest.h>

#include <string>

#include "full/discovery/cloud_init.h"

namespace guestbackup::discovery {
namespace {

// What KubeVirt's cloudInitConfigDrive writes for the VM web01 in the namespace prod-vms
// (pkg/cloud-init: instance_id "<name>.<namespace>", uuid the firmware's, hostname the VM's).
constexpr const char* kKubeVirtMetadata =
    R"({"instance_id": "web01.prod-vms", "uuid": "6e5f3c1a-7b2d-4e8f-9a0c-1d2e3f4a5b6c",)"
    R"( "hostname": "web01"})";

std::string Problem(const SourceReport& report, Item item) {
  if (!report[item]) return "(no value)";
  return FormatProblem(report, *report[item]);
}

TEST(ConfigDriveMetadata, KubeVirtsInstanceIdGivesTheIdentity) {
  const SourceReport r = ParseConfigDriveMetadata(kKubeVirtMetadata, "ConfigDrive Q:");
  ASSERT_EQ(r.state, SourceState::kRead);
  EXPECT_EQ(r.summary, "ConfigDrive, instance \"web01.prod-vms\"");
  ASSERT_TRUE(r[Item::kUsername]);
  EXPECT_EQ(r[Item::kUsername]->value, "web01");
  EXPECT_EQ(r[Item::kUsername]->key, "instance_id");
  EXPECT_EQ(r[Item::kHostname]->value, "prod-vms");
  for (Item item : {Item::kUrl, Item::kFingerprint, Item::kCa, Item::kPassword}) {
    EXPECT_FALSE(r[item]) << ItemName(item);
  }
}

TEST(ConfigDriveMetadata, AGuestbackupMappingGivesServerValuesNamedAsInTheFile) {
  const SourceReport r = ParseConfigDriveMetadata(
      R"({"instance_id": "web01.prod-vms", "guestbackup": {"url": "https://backup:51515",)"
      R"( "username": "backup-web01", "password": "hunter22"}})",
      "ConfigDrive Q:");
  EXPECT_EQ(r[Item::kUrl]->value, "https://backup:51515");
  EXPECT_EQ(r[Item::kUrl]->key, "guestbackup.url");
  EXPECT_EQ(r[Item::kUsername]->value, "backup-web01");  // the explicit name wins
  EXPECT_EQ(r[Item::kHostname]->value, "prod-vms");
  EXPECT_EQ(Problem(r, Item::kPassword),
            "ConfigDrive Q:: guestbackup.password: refused: instance data is readable by every "
            "user; give password_file");
}

TEST(ConfigDriveMetadata, AMalformedInstanceIdIsNamed) {
  const SourceReport r = ParseConfigDriveMetadata(R"({"instance_id": "web01"})", "ConfigDrive Q:");
  EXPECT_EQ(Problem(r, Item::kUsername),
            "ConfigDrive Q:: instance_id: expected <vm name>.<namespace> as KubeVirt's "
            "ConfigDrive writes it, got \"web01\"");
}

TEST(ConfigDriveMetadata, WhatIsNoMetadataFailsTheSource) {
  EXPECT_EQ(ParseConfigDriveMetadata("[1]", "t").summary,
            "not valid meta_data.json: expected a JSON object");
  EXPECT_EQ(ParseConfigDriveMetadata("{\"a\": ", "t").state, SourceState::kFailed);
  EXPECT_EQ(ParseConfigDriveMetadata(std::string(100, '[') + std::string(100, ']'), "t").summary,
            "nested deeper than 64 levels; a ConfigDrive's meta_data.json never is");
}

}  // namespace
}  // namespace guestbackup::discovery
