// A guest with no `server:` in its policy backs up and restores through the real kopia
// server: URL and fingerprint (or the CA) from a KubeVirt-style config disk given with
// --config-disk, the password from a Secret disk, and the identity alice@vm1 from cloud-init
// instance data as KubeVirt's ConfigDrive makes it (instance_id "alice.vm1").
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "agent_harness.h"
#include "unit/full/discovery/iso_builder.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

struct DiscoveringGuest {
  Agent agent{"alice", "vm1"};
  TempDir machine;  // the guest's /dev/disk/by-id, /sys/block and /run/cloud-init
  std::string config_disk;
  std::string secret_disk;

  DiscoveringGuest() {
    std::filesystem::create_directories(machine.path() / "by-id");
    std::filesystem::create_directories(machine.path() / "sys-block");
    json data = json::parse(ReadFile(FixturePath("cloud-init/kubevirt-configdrive.json")));
    data["ds"]["meta_data"]["instance_id"] = "alice.vm1";
    machine.WriteFile("instance-data.json", data.dump(1));
    machine.WriteFile("policy.yaml", "version: 1\nkopia: " + KopiaBinary() + "\nstate_dir: " +
                                         agent.state().string() + "\njobs:\n  docs:\n    paths: [" +
                                         agent.data().string() + "]\n");
    std::filesystem::copy_file(machine.path() / "policy.yaml", agent.policy_path());
  }
  void Disks(const std::map<std::string, std::string>& config) {
    auto cm = BuildConfigIso((machine.path() / "cm.iso").string(), config);
    auto secret = BuildConfigIso((machine.path() / "secret.iso").string(),
                                 {{"password", UserPassword("alice") + "\n"}});
    ASSERT_TRUE(cm.ok()) << cm.status().ToString();
    ASSERT_TRUE(secret.ok()) << secret.status().ToString();
    chmod(secret->c_str(), 0600);
    config_disk = *cm;
    secret_disk = *secret;
  }
  CommandResult Run(std::vector<std::string> args) const {
    std::vector<std::string> global = {"--config-disk", config_disk, "--config-disk", secret_disk};
    global.insert(global.end(), args.begin(), args.end());
    return agent.Run(
        global,
        {"/usr/bin/env", "GUESTBACKUP_DISK_BY_ID_DIR=" + (machine.path() / "by-id").string(),
         "GUESTBACKUP_SYS_BLOCK_DIR=" + (machine.path() / "sys-block").string(),
         "GUESTBACKUP_INSTANCE_DATA=" + (machine.path() / "instance-data.json").string(),
         "GUESTBACKUP_CLOUD_INIT="});
  }
};

TEST(DiscoveryTest, BacksUpAndRestoresWithNoServerInThePolicy) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  DiscoveringGuest g;
  g.Disks({{"serviceURL", SharedServer().url()}, {"tlsFingerprint", SharedServer().fingerprint()}});
  const std::string file = g.agent.WriteData("notes.txt", "found by discovery\n");

  auto discovered = g.Run({"discover", "--json"});
  ASSERT_EQ(discovered.exit_code, 0) << discovered.out << discovered.err;
  const json d = json::parse(discovered.out);
  EXPECT_EQ(d["values"]["url"]["value"], SharedServer().url());
  EXPECT_EQ(d["values"]["url"]["source"], "config disk " + g.config_disk);
  EXPECT_EQ(d["values"]["username"]["value"], "alice");
  EXPECT_EQ(d["values"]["hostname"]["value"], "vm1");
  EXPECT_EQ(d["values"]["password"]["source"], "config disk " + g.secret_disk);

  auto run = g.Run({"--log-level", "debug", "run", "docs"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("server " + SharedServer().url() +
                         " as alice@vm1, password from "
                         "config disk " +
                         g.secret_disk + " (password)"),
            std::string::npos)
      << run.err;
  for (const std::string& text : {run.out, run.err, discovered.out}) {
    EXPECT_EQ(text.find(UserPassword("alice")), std::string::npos);
  }

  auto snapshots = g.Run({"snapshots", "--json"});
  ASSERT_EQ(snapshots.exit_code, 0) << snapshots.err;
  ASSERT_EQ(json::parse(snapshots.out).size(), 1u);

  std::filesystem::remove(file);
  auto restore = g.Run({"restore", file});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_EQ(ReadFile(file), "found by discovery\n");
}

// With only the certificate on the disk (no fingerprint), it is written to the state
// directory and verifies the server as a CA.
TEST(DiscoveryTest, TheDisksCaVerifiesTheServerWithoutAFingerprint) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  DiscoveringGuest g;
  g.Disks({{"serviceURL", SharedServer().url()}, {"ca.crt", ReadFile(SharedServer().cert_file())}});
  g.agent.WriteData("a.txt", "a\n");
  auto run = g.Run({"run", "docs"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(ReadFile(g.agent.state() / "discovered-ca.crt"), ReadFile(SharedServer().cert_file()));
}

// The disk's fingerprint is wrong for this server: pinning fails as with a policy value.
TEST(DiscoveryTest, AWrongFingerprintOnTheDiskIsRefusedByTheServerCheck) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  DiscoveringGuest g;
  g.Disks({{"serviceURL", SharedServer().url()}, {"tlsFingerprint", std::string(64, 'a')}});
  g.agent.WriteData("a.txt", "a\n");
  auto run = g.Run({"run", "docs"});
  EXPECT_EQ(run.exit_code, 5) << run.out << run.err;
}

}  // namespace
}  // namespace guestbackup::testing
