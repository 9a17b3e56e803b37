// The cloud-init source, on instance-data.json files written by the real cloud-init 22.4
// (tests/fixtures/cloud-init/generate.py), and on edited copies of them for each problem.
#include "full/discovery/cloud_init.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lean/process/executable_lookup.h"
#include "support/temp_dir.h"

namespace guestbackup::discovery {
namespace {

using nlohmann::json;
using testing::FixturePath;
using testing::ReadFile;

json Fixture(const std::string& name) {
  return json::parse(ReadFile(FixturePath("cloud-init/" + name)));
}

SourceReport Parse(const json& data) { return ParseInstanceData(data.dump(1), "cloud-init t"); }

std::string Problem(const SourceReport& report, Item item) {
  if (!report[item]) return "(no value)";
  return FormatProblem(report, *report[item]);
}

// KubeVirt's ConfigDrive: cloud-init's own v1.instance_id is the firmware UUID; the
// "<name>.<namespace>" KubeVirt writes stays in ds.meta_data.instance_id.
TEST(CloudInit, KubeVirtConfigDriveGivesTheIdentity) {
  const SourceReport r = Parse(Fixture("kubevirt-configdrive.json"));
  ASSERT_EQ(r.state, SourceState::kRead);
  EXPECT_EQ(r.summary, "datasource configdrive, instance 6e5f3c1a-7b2d-4e8f-9a0c-1d2e3f4a5b6c");
  ASSERT_TRUE(r[Item::kUsername]);
  EXPECT_EQ(r[Item::kUsername]->value, "web01");
  EXPECT_EQ(r[Item::kUsername]->key, "ds.meta_data.instance_id");
  EXPECT_EQ(r[Item::kUsername]->detail, "VM name from instance_id \"web01.prod-vms\"");
  EXPECT_EQ(r[Item::kHostname]->value, "prod-vms");
  EXPECT_EQ(r[Item::kHostname]->detail, "namespace from instance_id \"web01.prod-vms\"");
  for (Item item : {Item::kUrl, Item::kFingerprint, Item::kCa, Item::kPassword}) {
    EXPECT_FALSE(r[item]) << ItemName(item);
  }
}

// KubeVirt's NoCloud carries no namespace, so no identity can be made from it.
TEST(CloudInit, KubeVirtNoCloudGivesNothing) {
  const SourceReport r = Parse(Fixture("kubevirt-nocloud.json"));
  ASSERT_EQ(r.state, SourceState::kRead);
  EXPECT_EQ(r.summary, "datasource nocloud, instance 6e5f3c1a-7b2d-4e8f-9a0c-1d2e3f4a5b6c");
  for (Item item : kAllItems) EXPECT_FALSE(r[item]) << ItemName(item);
}

TEST(CloudInit, GuestbackupKeyInNoCloudMetaData) {
  const SourceReport r = Parse(Fixture("nocloud-guestbackup.json"));
  ASSERT_EQ(r.state, SourceState::kRead);
  EXPECT_EQ(r[Item::kUrl]->value, "https://backup.example.net:51515");
  EXPECT_EQ(r[Item::kUrl]->key, "ds.meta_data.guestbackup.url");
  EXPECT_EQ(r[Item::kFingerprint]->value,
            "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f");
  EXPECT_EQ(r[Item::kUsername]->value, "web01");
  EXPECT_EQ(r[Item::kHostname]->value, "lab");
  EXPECT_EQ(r[Item::kPassword]->value, "/etc/guestbackup/credentials/password");
  EXPECT_EQ(r[Item::kPassword]->form, Form::kFile);
  EXPECT_TRUE(r.notes.empty());
}

// Explicit names win over the instance_id, value by value.
TEST(CloudInit, ExplicitUsernameAndIdentityFromInstanceIdTogether) {
  json data = Fixture("kubevirt-configdrive.json");
  data["ds"]["meta_data"]["guestbackup"] = {{"username", "backup-web01"}};
  const SourceReport r = Parse(data);
  EXPECT_EQ(r[Item::kUsername]->value, "backup-web01");
  EXPECT_EQ(r[Item::kHostname]->value, "prod-vms");
}

TEST(CloudInit, EachProblemNamesTheKey) {
  json data = Fixture("nocloud-guestbackup.json");
  json& own = data["ds"]["meta_data"]["guestbackup"];
  own["url"] = "https://backup.example.net:51515/repo";
  own["fingerprint"] = 42;
  own["username"] = "Web 01";
  own["password"] = "hunter22";
  own["fingerprnt"] = "x";
  own.erase("password_file");
  const SourceReport r = Parse(data);
  EXPECT_EQ(Problem(r, Item::kUrl),
            "cloud-init t: ds.meta_data.guestbackup.url: the URL must not have a path "
            "(\"/repo\"); expected https://host[:port]");
  EXPECT_EQ(Problem(r, Item::kFingerprint),
            "cloud-init t: ds.meta_data.guestbackup.fingerprint: expected a string, got 42");
  EXPECT_EQ(Problem(r, Item::kUsername),
            "cloud-init t: ds.meta_data.guestbackup.username: invalid name \"Web 01\": use "
            "lowercase letters, digits, \".\", \"_\" and \"-\"");
  EXPECT_EQ(Problem(r, Item::kPassword),
            "cloud-init t: ds.meta_data.guestbackup.password: refused: instance data is readable "
            "by every user; give password_file");
  EXPECT_EQ(r.notes, std::vector<std::string>{"ds.meta_data.guestbackup.fingerprnt: unknown key; "
                                              "did you mean \"fingerprint\"?"});
}

TEST(CloudInit, GuestbackupKeyThatIsNoMapping) {
  json data = Fixture("kubevirt-nocloud.json");
  data["ds"]["meta_data"]["guestbackup"] = "https://x:1";
  const SourceReport r = Parse(data);
  for (Item item : kAllItems) {
    EXPECT_EQ(Problem(r, item),
              "cloud-init t: ds.meta_data.guestbackup: expected a mapping of server values");
  }
}

TEST(CloudInit, MalformedInstanceId) {
  json data = Fixture("kubevirt-configdrive.json");
  data["ds"]["meta_data"]["instance_id"] = "web01";
  const SourceReport r = Parse(data);
  const std::string problem =
      "cloud-init t: ds.meta_data.instance_id: expected <vm name>.<namespace> as KubeVirt's "
      "ConfigDrive writes it, got \"web01\"";
  EXPECT_EQ(Problem(r, Item::kUsername), problem);
  EXPECT_EQ(Problem(r, Item::kHostname), problem);
}

TEST(CloudInit, BrokenJsonFailsTheSource) {
  const SourceReport r = ParseInstanceData("{\"v1\": ", "cloud-init t");
  EXPECT_EQ(r.state, SourceState::kFailed);
  EXPECT_TRUE(r.summary.starts_with("not valid JSON: ")) << r.summary;
  EXPECT_EQ(ParseInstanceData("[1]", "cloud-init t").summary,
            "not valid instance data: expected a JSON object");
}

// A 200 KB instance_id nested 100k deep used to crash every command that discovers (a
// recursive serializer ran out of stack): it is refused before parsing, in one short line.
TEST(CloudInit, DeepNestingIsRefusedBeforeParsing) {
  std::string text = R"({"ds": {"meta_data": {"instance_id": )";
  text += std::string(100'000, '[') + std::string(100'000, ']') + "}}}";
  const SourceReport r = ParseInstanceData(text, "cloud-init t");
  EXPECT_EQ(r.state, SourceState::kFailed);
  EXPECT_EQ(r.summary, "nested deeper than 64 levels; cloud-init's instance data never is");
  // Brackets inside strings are text, not nesting.
  json data = Fixture("kubevirt-configdrive.json");
  data["ds"]["meta_data"]["note"] = std::string(1000, '[');
  EXPECT_EQ(Parse(data).state, SourceState::kRead);
}

// Values that are not what a key needs are described by type and size, never printed whole;
// long strings are cut and control characters escaped.
TEST(CloudInit, UntrustedValuesAreShownShortAndEscaped) {
  json data = Fixture("kubevirt-configdrive.json");
  data["ds"]["meta_data"]["instance_id"] = json::array({json::array({1, 2}), 3});
  EXPECT_EQ(Problem(Parse(data), Item::kUsername),
            "cloud-init t: ds.meta_data.instance_id: expected <vm name>.<namespace> as "
            "KubeVirt's ConfigDrive writes it, got an array of 2 values");
  data["ds"]["meta_data"]["instance_id"] = "\x1b[31m" + std::string(200'000, 'a');
  const std::string shown = Problem(Parse(data), Item::kUsername);
  EXPECT_TRUE(shown.ends_with("got \"\\x1b[31m" + std::string(115, 'a') + "…\" (200005 bytes)"))
      << shown.substr(0, 300);
  data = Fixture("kubevirt-nocloud.json");
  data["ds"]["meta_data"]["guestbackup"] = {{"url", {{"a", 1}}}};
  EXPECT_EQ(Problem(Parse(data), Item::kUrl),
            "cloud-init t: ds.meta_data.guestbackup.url: expected a string, got an object of 1 "
            "keys");
}

// A 100 MB file used to cost 2 GB: files past 4 MiB, FIFOs and devices are refused unread.
#if !defined(_WIN32)  // FIFOs are Linux files
TEST(CloudInit, AHugeFileOrAFifoIsRefusedUnread) {
  testing::TempDir dir;
  SourcePaths paths;
  paths.cloud_init = "";
  paths.instance_data = dir.WriteFile("big.json", std::string((4 << 20) + 1, ' '), 0644);
  const SourceReport big = ReadCloudInit(paths);
  EXPECT_EQ(big.state, SourceState::kFailed);
  EXPECT_EQ(big.summary, "larger than 4 MiB");
  paths.instance_data = (dir.path() / "fifo").string();
  ASSERT_EQ(mkfifo(paths.instance_data.c_str(), 0600), 0);
  EXPECT_EQ(ReadCloudInit(paths).summary, "not a regular file (a FIFO)");
  EXPECT_EQ(ParseInstanceData(std::string((4 << 20) + 1, ' '), "t").summary,
            "larger than 4 MiB; cloud-init's instance data is never that large");
}
#endif

TEST(CloudInit, ReadsTheFileOrIsAbsent) {
  testing::TempDir dir;
  SourcePaths paths;
  paths.cloud_init = "";  // do not ask cloud-init itself
  paths.instance_data = FixturePath("cloud-init/kubevirt-configdrive.json");
  const SourceReport found = ReadCloudInit(paths);
  EXPECT_EQ(found.name, "cloud-init " + paths.instance_data);
  EXPECT_EQ(found[Item::kUsername]->value, "web01");
  paths.instance_data = (dir.path() / "instance-data.json").string();
  const SourceReport absent = ReadCloudInit(paths);
  EXPECT_EQ(absent.state, SourceState::kAbsent);
  EXPECT_EQ(absent.summary, "no instance data (cloud-init has not run here)");
}

// `cloud-init query --all` (the real 22.4) prints the instance data it reads; parsing that
// gives the same values as parsing the file.
TEST(CloudInit, CloudInitQueryGivesTheSameValues) {
  const char* path = std::getenv("PATH");
  if (!process::LocateExecutable("cloud-init", path ? path : "").ok()) {
    GTEST_SKIP() << "cloud-init is not installed (scripts/setup installs it)";
  }
  const std::string fixture = FixturePath("cloud-init/nocloud-guestbackup.json");
  auto queried = QueryCloudInit("cloud-init", fixture);
  ASSERT_TRUE(queried.ok()) << queried.status().ToString();
  const SourceReport via_query = ParseInstanceData(*queried, "q");
  const SourceReport via_file = ParseInstanceData(ReadFile(fixture), "f");
  for (Item item : kAllItems) {
    ASSERT_EQ(via_query[item].has_value(), via_file[item].has_value()) << ItemName(item);
    if (via_file[item]) {
      EXPECT_EQ(via_query[item]->value, via_file[item]->value);
    }
  }
  EXPECT_EQ(via_query[Item::kUrl]->value, "https://backup.example.net:51515");
}

TEST(CloudInit, QueryWithoutCloudInitIsNotFound) {
  EXPECT_EQ(QueryCloudInit("no-such-cloud-init-binary").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace guestbackup::discovery
