// Discovery as a whole: the precedence of the five sources value by value, what a failed or
// invalid source decides, which of fingerprint and CA verifies the server, and the message a
// run gets when something is missing. Real images, real cloud-init fixtures, real dnsmasq.
#include "full/discovery/discovery.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dnsmasq_server.h"
#include "iso_builder.h"
#include "support/temp_dir.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;
using testing::FixturePath;
using testing::TempDir;

constexpr const char* kFingerprint =
    "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f";
constexpr const char* kOtherFingerprint =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// One guest: no flags, an empty policy, no disk, no cloud-init, no DNS, until a test adds them.
struct Guest {
  TempDir dir;
  DiscoveryOptions options;
  policy::Policy policy;
  Guest() {
    options.paths.by_id_dir = (dir.path() / "by-id").string();
    options.paths.sys_block_dir = (dir.path() / "sys-block").string();
    options.paths.dev_dir = (dir.path() / "dev").string();
    options.paths.instance_data = (dir.path() / "run/instance-data.json").string();
    options.paths.cloud_init = "";
    policy.source_path = (dir.path() / "policy.yaml").string();
  }
  std::string Disk(const std::string& name, const std::map<std::string, std::string>& files) {
    auto iso = testing::BuildConfigIso((dir.path() / name).string(), files);
    EXPECT_TRUE(iso.ok()) << iso.status().ToString();
    chmod(iso->c_str(), 0600);
    options.paths.config_disks.push_back(*iso);
    return *iso;
  }
  void CloudInit(const nlohmann::json& data) {
    dir.WriteFile("run/instance-data.json", data.dump(1));
  }
  std::string PasswordFile() { return dir.WriteFile("pw", "pw-1234\n", 0600); }
  DiscoveryReport Run(bool read_all = true) const { return Discover(options, policy, read_all); }
};

nlohmann::json CloudInitWith(const nlohmann::json& own) {
  nlohmann::json data =
      nlohmann::json::parse(testing::ReadFile(FixturePath("cloud-init/kubevirt-configdrive.json")));
  data["ds"]["meta_data"]["guestbackup"] = own;
  return data;
}

std::string SourceName(const DiscoveryReport& report, Item item) {
  const Decision& d = report[item];
  return d.source < 0 ? "(none)" : report.sources[static_cast<std::size_t>(d.source)].name;
}

class DiscoveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dns_ = testing::DnsmasqServer::Start(
               {"--srv-host=_kopia._tcp.bsls.ns.svc.cluster.local,bsls.ns.svc.cluster.local,"
                "51515"},
               &why_)
               .release();
  }
  static void TearDownTestSuite() {
    delete dns_;
    dns_ = nullptr;
  }
  static testing::DnsmasqServer* dns_;
  static std::string why_;
};
testing::DnsmasqServer* DiscoveryTest::dns_ = nullptr;
std::string DiscoveryTest::why_;

// Every combination of sources that offer a URL: the first present in the order flags,
// policy, config disk, cloud-init, DNS SRV decides — whether all are read or only as many as
// needed.
TEST_F(DiscoveryTest, PrecedenceTable) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  GB_SKIP_WITHOUT(dns_, why_);
  const char* names[] = {"command line", "policy", "config disk", "cloud-init", "DNS SRV"};
  const char* urls[] = {"https://flag:1", "https://policy:1", "https://disk:1",
                        "https://cloud-init:1", "https://bsls.ns.svc.cluster.local:51515"};
  for (int mask = 1; mask < 32; ++mask) {
    Guest g;
    g.options.paths.dns_server = dns_->address();
    if (mask & 1) g.options.flags.url = urls[0];
    if (mask & 2) g.policy.server.url = urls[1];
    if (mask & 4) g.Disk("cm.iso", {{"serviceURL", urls[2]}});
    if (mask & 8) g.CloudInit(CloudInitWith({{"url", urls[3]}}));
    if (mask & 16) g.options.flags.service = "bsls.ns";
    int first = 0;
    while (!(mask & (1 << first))) ++first;
    for (bool read_all : {true, false}) {
      const DiscoveryReport report = g.Run(read_all);
      ASSERT_TRUE(report[Item::kUrl].value) << mask;
      EXPECT_EQ(report[Item::kUrl].value->value, urls[first]) << "mask " << mask;
      EXPECT_TRUE(SourceName(report, Item::kUrl).starts_with(names[first]))
          << "mask " << mask << ": " << SourceName(report, Item::kUrl);
    }
  }
}

// Value by value: each comes from the highest source that has it.
TEST_F(DiscoveryTest, EachValueFromItsOwnSource) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.options.flags.username = "from-flag";
  g.policy.server.password_file = g.PasswordFile();
  const std::string disk = g.Disk(
      "cm.iso", {{"serviceURL", "https://bsls.ns.svc:51515"}, {"tlsFingerprint", kFingerprint}});
  g.CloudInit(nlohmann::json::parse(
      testing::ReadFile(FixturePath("cloud-init/kubevirt-configdrive.json"))));
  const DiscoveryReport report = g.Run();
  EXPECT_EQ(SourceName(report, Item::kUsername), "command line");
  EXPECT_EQ(SourceName(report, Item::kPassword), "policy " + g.policy.source_path);
  EXPECT_EQ(SourceName(report, Item::kUrl), "config disk " + disk);
  EXPECT_EQ(SourceName(report, Item::kFingerprint), "config disk " + disk);
  EXPECT_EQ(SourceName(report, Item::kHostname), "cloud-init " + g.options.paths.instance_data);
  auto server = RequireServer(report);
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_EQ(server->url, "https://bsls.ns.svc:51515");
  EXPECT_EQ(server->fingerprint, kFingerprint);
  EXPECT_EQ(server->username, "from-flag");
  EXPECT_EQ(server->hostname, "prod-vms");
  EXPECT_EQ(server->password_file, g.policy.server.password_file);
  EXPECT_EQ(server->password_origin, "policy " + g.policy.source_path + " (server.password_file)");
}

// A complete policy needs nothing else: a broken disk below it is not even read by a run, and
// `discover` (read_all) shows its problem without changing the values.
TEST_F(DiscoveryTest, ABrokenLowerSourceDoesNotBreakACompleteHigherOne) {
  Guest g;
  g.policy.server = {"https://bsls:51515", kFingerprint, "", "web01", "prod", g.PasswordFile(), ""};
  const std::string missing = (g.dir.path() / "vdz").string();
  g.options.paths.config_disks = {missing};
  const DiscoveryReport run = g.Run(false);
  ASSERT_EQ(run.sources.size(), 2u);  // command line and policy only
  EXPECT_TRUE(RequireServer(run).ok());
  const DiscoveryReport all = g.Run(true);
  EXPECT_TRUE(RequireServer(all).ok());
  EXPECT_EQ(all.Problems(), std::vector<std::string>{"config disk " + missing + ": " + missing +
                                                     ": cannot read: No such file or directory"});
}

// A source that cannot be read might have held any value: it decides each one the sources
// above it left open, so a run stops instead of silently taking a lower source's value (and
// reads nothing below it: cloud-init's identity is not used).
TEST_F(DiscoveryTest, AFailedSourceDecidesWhatHigherOnesLeaveOpen) {
  Guest g;
  g.policy.server = {"https://bsls:51515", kFingerprint, "", "", "", g.PasswordFile(), ""};
  const std::string missing = (g.dir.path() / "vdz").string();
  g.options.paths.config_disks = {missing};
  g.CloudInit(nlohmann::json::parse(
      testing::ReadFile(FixturePath("cloud-init/kubevirt-configdrive.json"))));
  const DiscoveryReport report = g.Run(false);
  auto server = RequireServer(report);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
  const std::string failure =
      "config disk " + missing + ": " + missing + ": cannot read: No such file or directory";
  EXPECT_EQ(server.status().message(),
            "the server settings are incomplete after discovery:\n"
            "  username: " +
                failure +
                "\n"
                "  hostname: " +
                failure +
                "\n"
                "sources tried, highest precedence first:\n"
                "  command line: no server flags\n"
                "  policy " +
                g.policy.source_path +
                ": gives url, fingerprint, password\n"
                "  config disk " +
                missing + ": " + missing +
                ": cannot read: No such file or directory\n"
                "(`guestbackup discover` shows each value and where it came from)");
}

// An invalid value decides too: a bad tlsFingerprint on the disk is an error even though
// cloud-init has a valid one — a broken pin never falls back to a weaker source.
TEST_F(DiscoveryTest, AnInvalidValueIsAnErrorNotAFallback) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.options.flags.password_file = g.PasswordFile();
  const std::string disk =
      g.Disk("cm.iso", {{"serviceURL", "https://bsls:51515"}, {"tlsFingerprint", "3f9a"}});
  g.CloudInit(CloudInitWith({{"fingerprint", kOtherFingerprint}}));
  auto server = RequireServer(g.Run(false));
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(server.status().message().starts_with(
      "the server settings are incomplete after discovery:\n"
      "  fingerprint or ca: config disk " +
      disk +
      ": tlsFingerprint: expected 64 hex digits (SHA-256), got 4\n"
      "sources tried, highest precedence first:\n"))
      << server.status().message();
}

TEST_F(DiscoveryTest, AFlagIsCheckedLikeThePolicyValue) {
  Guest g;
  g.options.flags.fingerprint = "abc";
  g.options.flags.url = "https://bsls:51515";
  auto server = RequireServer(g.Run(false));
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find(
                "  fingerprint or ca: command line: --server-fingerprint: expected 64 hex digits "
                "(SHA-256), got 3\n"),
            std::string::npos)
      << server.status().message();
}

TEST_F(DiscoveryTest, NothingAnywhere) {
  Guest g;
  auto server = RequireServer(g.Run(false));
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message(),
            "the server settings are incomplete after discovery:\n"
            "  url: no source gives it\n"
            "  fingerprint or ca: no source gives it\n"
            "  username: no source gives it\n"
            "  hostname: no source gives it\n"
            "  password: no source gives it\n"
            "sources tried, highest precedence first:\n"
            "  command line: no server flags\n"
            "  policy " +
                g.policy.source_path +
                ": no server values\n"
                "  config disk: no disk with serial guestbackup or guestbackup-secret (looked in " +
                g.options.paths.by_id_dir + " and " + g.options.paths.sys_block_dir +
                "/*/serial)\n"
                "  cloud-init " +
                g.options.paths.instance_data +
                ": no instance data (cloud-init has not run here)\n"
                "  DNS SRV: no Service named (--server-service or server.service)\n"
                "(`guestbackup discover` shows each value and where it came from)");
}

// Pinning and a CA are alternatives; the higher source's choice stands.
TEST_F(DiscoveryTest, FingerprintOrCa) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  const std::string ca = testing::ReadFile(FixturePath("discovery/bsls-ca.crt"));
  auto base = [](Guest& g) {
    g.policy.server.url = "https://bsls:51515";
    g.policy.server.username = "u";
    g.policy.server.hostname = "h";
    g.policy.server.password_file = g.PasswordFile();
  };
  {  // the policy's CA file over the disk's fingerprint
    Guest g;
    base(g);
    g.policy.server.ca_file = "/etc/guestbackup/ca.crt";
    g.Disk("cm.iso", {{"tlsFingerprint", kFingerprint}});
    const DiscoveryReport report = g.Run(false);
    EXPECT_TRUE(report.trust_by_ca);
    auto server = RequireServer(report);
    ASSERT_TRUE(server.ok()) << server.status().message();
    EXPECT_EQ(server->fingerprint, "");
    EXPECT_EQ(server->ca_file, "/etc/guestbackup/ca.crt");
    EXPECT_EQ(server->ca_pem, "");
  }
  {  // one disk with both: the fingerprint pins, the PEM is not needed
    Guest g;
    base(g);
    g.Disk("cm.iso", {{"tlsFingerprint", kFingerprint}, {"ca.crt", ca}});
    auto server = RequireServer(g.Run(false));
    ASSERT_TRUE(server.ok()) << server.status().message();
    EXPECT_EQ(server->fingerprint, kFingerprint);
    EXPECT_EQ(server->ca_pem, "");
  }
  {  // a disk with only the CA: its PEM verifies the server
    Guest g;
    base(g);
    g.Disk("cm.iso", {{"ca.crt", ca}});
    const DiscoveryReport report = g.Run(false);
    EXPECT_TRUE(report.trust_by_ca);
    auto server = RequireServer(report);
    ASSERT_TRUE(server.ok()) << server.status().message();
    EXPECT_EQ(server->fingerprint, "");
    EXPECT_EQ(server->ca_pem, ca);
  }
  {  // a flag's fingerprint over the policy's CA file, which kopia still gets
    Guest g;
    base(g);
    g.policy.server.ca_file = "/etc/guestbackup/ca.crt";
    g.options.flags.fingerprint = kFingerprint;
    auto server = RequireServer(g.Run(false));
    ASSERT_TRUE(server.ok()) << server.status().message();
    EXPECT_EQ(server->fingerprint, kFingerprint);
    EXPECT_EQ(server->ca_file, "/etc/guestbackup/ca.crt");
  }
}

TEST_F(DiscoveryTest, APasswordFromASecretDiskStaysInMemory) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.Disk("cm.iso", {{"serviceURL", "https://bsls:51515"}, {"tlsFingerprint", kFingerprint}});
  const std::string secret = g.Disk("secret.iso", {{"password", "pw-from-secret\n"}});
  g.CloudInit(nlohmann::json::parse(
      testing::ReadFile(FixturePath("cloud-init/kubevirt-configdrive.json"))));
  auto server = RequireServer(g.Run(false));
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_EQ(server->password, "pw-from-secret");
  EXPECT_EQ(server->password_file, "");
  EXPECT_EQ(server->password_origin, "config disk " + secret + " (password)");
}

}  // namespace
}  // namespace guestbackup::discovery
