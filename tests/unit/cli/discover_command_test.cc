// `guestbackup discover` and the global server flags, in-process: each value and its source in
// text and JSON, the password never printed, and the exit code saying whether a connection
// has everything it needs. Real ISO images and cloud-init fixtures; discovery isolated from
// the machine the tests run on.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "unit/cli/cli_runner.h"
#include "unit/cli/discovery_env.h"
#include "unit/full/discovery/iso_builder.h"

namespace guestbackup::cli {
namespace {

using nlohmann::json;

constexpr const char* kFingerprint =
    "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f";
constexpr const char* kPassword = "pw-never-shown-7c1e";

struct Guest {
  testing::IsolatedDiscovery machine;
  std::string policy;
  std::string config_disk;
  std::string secret_disk;

  Guest() {
    const testing::TempDir& dir = machine.dir();
    policy =
        dir.WriteFile("policy.yaml", "version: 1\nstate_dir: " + (dir.path() / "state").string() +
                                         "\njobs:\n  etc:\n    paths: [/etc]\n");
    dir.WriteFile("instance-data.json",
                  testing::ReadFile(testing::FixturePath("cloud-init/kubevirt-configdrive.json")));
  }
  void Disks() {
    const testing::TempDir& dir = machine.dir();
    auto cm = testing::BuildConfigIso(
        (dir.path() / "cm.iso").string(),
        {{"serviceURL", "https://bsls-sample.openshift-adp.svc:51515"},
         {"tlsFingerprint", kFingerprint},
         {"ca.crt", testing::ReadFile(testing::FixturePath("discovery/bsls-ca.crt"))}});
    auto secret = testing::BuildConfigIso((dir.path() / "secret.iso").string(),
                                          {{"password", std::string(kPassword) + "\n"}});
    ASSERT_TRUE(cm.ok() && secret.ok());
    chmod(secret->c_str(), 0600);
    config_disk = *cm;
    secret_disk = *secret;
  }
  std::vector<std::string> Args(std::vector<std::string> tail) const {
    std::vector<std::string> args = {"--policy", policy};
    args.insert(args.end(), tail.begin(), tail.end());
    return args;
  }
};

// The line of `out` that starts with `prefix`, or "".
std::string Line(const std::string& out, const std::string& prefix) {
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    if (line.starts_with(prefix)) return line;
    start = end + 1;
  }
  return "";
}

// Collapses runs of spaces, so rows can be compared without the column widths.
std::string Squeezed(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

TEST(DiscoverCommand, EachValueAndWhereItCameFrom) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.Disks();
  const auto r =
      Cli(g.Args({"discover", "--config-disk", g.config_disk, "--config-disk", g.secret_disk}));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const std::string cm = "config disk " + g.config_disk;
  const std::string ci = "cloud-init " + g.machine.instance_data();
  EXPECT_EQ(Squeezed(Line(r.out, "url ")),
            "url https://bsls-sample.openshift-adp.svc:51515 " + cm + ": serviceURL");
  EXPECT_EQ(Squeezed(Line(r.out, "fingerprint ")),
            "fingerprint " + std::string(kFingerprint) + " " + cm + ": tlsFingerprint");
  EXPECT_EQ(Squeezed(Line(r.out, "ca ")),
            "ca PEM, 1 certificate (unused: the fingerprint is pinned) " + cm + ": ca.crt");
  EXPECT_EQ(Squeezed(Line(r.out, "username ")),
            "username web01 " + ci +
                ": ds.meta_data.instance_id (VM name from instance_id \"web01.prod-vms\")");
  EXPECT_EQ(Squeezed(Line(r.out, "hostname ")),
            "hostname prod-vms " + ci +
                ": ds.meta_data.instance_id (namespace from instance_id \"web01.prod-vms\")");
  EXPECT_EQ(Squeezed(Line(r.out, "password ")),
            "password kept in memory, never shown config disk " + g.secret_disk + ": password");
  EXPECT_NE(r.out.find("\ncomplete: a connection would use these values\n"), std::string::npos);
  EXPECT_EQ(Squeezed(Line(r.out, "DNS SRV ")),
            "DNS SRV absent no Service named (--server-service or server.service)");
  EXPECT_EQ(r.out.find(kPassword), std::string::npos);
  EXPECT_EQ(r.err.find(kPassword), std::string::npos);
}

TEST(DiscoverCommand, Json) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.Disks();
  const auto r = Cli(g.Args({"discover", "--json", "--config-disk", g.config_disk, "--config-disk",
                             g.secret_disk, "--hostname", "lab"}));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find(kPassword), std::string::npos);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["missing"], json::array());
  EXPECT_EQ(j["trust"], "fingerprint");
  EXPECT_EQ(j["values"]["url"], (json{{"source", "config disk " + g.config_disk},
                                      {"key", "serviceURL"},
                                      {"form", "text"},
                                      {"value", "https://bsls-sample.openshift-adp.svc:51515"}}));
  EXPECT_EQ(
      j["values"]["hostname"],
      (json{
          {"source", "command line"}, {"key", "--hostname"}, {"form", "text"}, {"value", "lab"}}));
  EXPECT_EQ(j["values"]["username"]["value"], "web01");
  EXPECT_EQ(
      j["values"]["password"],
      (json{{"source", "config disk " + g.secret_disk}, {"key", "password"}, {"form", "inline"}}));
  std::vector<std::string> names;
  for (const json& s : j["sources"]) names.push_back(s["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "command line", "policy " + g.policy, "config disk " + g.config_disk,
                       "config disk " + g.secret_disk, "cloud-init " + g.machine.instance_data(),
                       "DNS SRV"}));
  EXPECT_EQ(j["sources"][2]["gives"], (json{"url", "fingerprint", "ca"}));
  EXPECT_EQ(j["problems"], json::array());
}

TEST(DiscoverCommand, IncompleteExitsTwoAndShowsProblems) {
  Guest g;
  const auto r = Cli(g.Args({"discover", "--server-url", "http://bsls:51515"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(Squeezed(Line(r.out, "url ")),
            "url (unusable) command line: --server-url: plain http is refused; use "
            "https://host[:port]");
  EXPECT_EQ(Squeezed(Line(r.out, "password ")), "password - no source gives it");
  EXPECT_NE(r.out.find("\nincomplete: no usable url, fingerprint or ca, password\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nproblems:\n  command line: --server-url: plain http is refused; use "
                       "https://host[:port]\n"),
            std::string::npos)
      << r.out;
}

// Before any policy is written (a fresh guest), discovery still shows what it finds.
TEST(DiscoverCommand, WorksWithoutAPolicyFile) {
  Guest g;
  const std::string none = (g.machine.dir().path() / "absent.yaml").string();
  const auto r = Cli({"--policy", none, "discover", "--json"});
  EXPECT_EQ(r.code, 2);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["sources"][1]["name"], "policy " + none + " (no such file)");
  EXPECT_EQ(j["values"]["username"]["value"], "web01");
}

TEST(DiscoverCommand, StatusShowsTheServerADiskGives) {
  GB_SKIP_WITHOUT_ISO_TOOL();
  Guest g;
  g.Disks();
  const auto r = Cli(g.Args({"--config-disk", g.config_disk, "status"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Line(r.out, "server: "),
            "server: https://bsls-sample.openshift-adp.svc:51515 "
            "(config disk " +
                g.config_disk + ": serviceURL)");
}

}  // namespace
}  // namespace guestbackup::cli
