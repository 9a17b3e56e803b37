// DNS SRV lookups through libresolv against a real dnsmasq on loopback, with the records
// Kubernetes would publish for the server's Service port "kopia".
#include "full/discovery/dns_srv.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnsmasq_server.h"

namespace guestbackup::discovery {
namespace {

using testing::DnsmasqServer;

class DnsSrvTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = DnsmasqServer::Start(
                  {
                      // What the cluster DNS answers for Service bsls in namespace ns.
                      "--srv-host=_kopia._tcp.bsls.ns.svc.cluster.local,"
                      "bsls.ns.svc.cluster.local,51515,0,100",
                      // Two records: the lower priority wins, then the higher weight.
                      // (target, port, priority, weight)
                      "--srv-host=_kopia._tcp.multi.ns.svc.cluster.local,b.example,2,10,5",
                      "--srv-host=_kopia._tcp.multi.ns.svc.cluster.local,a.example,1,5,1",
                      "--srv-host=_kopia._tcp.multi.ns.svc.cluster.local,c.example,3,10,50",
                      // No target: "the service is decidedly not available" (RFC 2782).
                      "--srv-host=_kopia._tcp.gone.ns.svc.cluster.local",
                      "--txt-record=_kopia._tcp.plain.ns.svc.cluster.local,not-a-service",
                      // A full name in another cluster domain.
                      "--srv-host=_kopia._tcp.bsls.ns.svc.example.org,bsls.ns.svc.example.org,"
                      "443",
                  },
                  &why_)
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { GB_SKIP_WITHOUT(server_, why_); }

  SourcePaths Paths() const {
    SourcePaths paths;
    paths.dns_server = server_->address();
    return paths;
  }

  static DnsmasqServer* server_;
  static std::string why_;
};
DnsmasqServer* DnsSrvTest::server_ = nullptr;
std::string DnsSrvTest::why_;

TEST(SrvName, ServiceAndNamespaceOrAFullName) {
  EXPECT_EQ(SrvName("bsls.ns", "cluster.local"), "_kopia._tcp.bsls.ns.svc.cluster.local");
  EXPECT_EQ(SrvName("bsls.ns", "corp.internal"), "_kopia._tcp.bsls.ns.svc.corp.internal");
  EXPECT_EQ(SrvName("bsls.ns.svc.example.org", "cluster.local"),
            "_kopia._tcp.bsls.ns.svc.example.org");
}

TEST_F(DnsSrvTest, TheServicesRecordGivesTheUrl) {
  const SourceReport r = ReadDnsSrv("bsls.ns", "--server-service", Paths());
  EXPECT_EQ(r.name, "DNS SRV _kopia._tcp.bsls.ns.svc.cluster.local");
  ASSERT_EQ(r.state, SourceState::kRead) << r.summary;
  EXPECT_EQ(r.summary, "Service bsls.ns from --server-service; 1 record");
  ASSERT_TRUE(r[Item::kUrl]);
  EXPECT_EQ(r[Item::kUrl]->value, "https://bsls.ns.svc.cluster.local:51515");
  EXPECT_EQ(r[Item::kUrl]->detail, "priority 0, weight 100");
  for (Item item :
       {Item::kFingerprint, Item::kCa, Item::kUsername, Item::kHostname, Item::kPassword}) {
    EXPECT_FALSE(r[item]);
  }
}

TEST_F(DnsSrvTest, LowestPriorityThenHighestWeight) {
  auto records = LookupSrv("_kopia._tcp.multi.ns.svc.cluster.local", server_->address());
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const SrvRecord* best = PreferredRecord(*records);
  EXPECT_EQ(best->target, "a.example");
  EXPECT_EQ(best->port, 1);
  EXPECT_EQ(ReadDnsSrv("multi.ns", "x", Paths())[Item::kUrl]->value, "https://a.example:1");
}

TEST(SrvRecords, PreferredIsLowestPriorityThenHighestWeight) {
  const std::vector<SrvRecord> records = {
      {10, 5, 1, "b"}, {10, 50, 2, "c"}, {20, 100, 3, "d"}, {10, 50, 4, "e"}};
  EXPECT_EQ(PreferredRecord(records)->target, "c");  // ties keep the first
  EXPECT_EQ(PreferredRecord({}), nullptr);
}

TEST_F(DnsSrvTest, FullNameInAnotherDomain) {
  EXPECT_EQ(ReadDnsSrv("bsls.ns.svc.example.org", "x", Paths())[Item::kUrl]->value,
            "https://bsls.ns.svc.example.org:443");
}

TEST_F(DnsSrvTest, MissingRecordsRefuseTheUrl) {
  struct Case {
    const char* service;
    std::string problem;
  };
  const std::string asked = " (asked " + server_->address() + ")";
  const Case cases[] = {
      {"nobody.ns", "DNS SRV _kopia._tcp.nobody.ns.svc.cluster.local: no such name" + asked},
      {"plain.ns",
       "DNS SRV _kopia._tcp.plain.ns.svc.cluster.local: the name has no SRV record" + asked},
      {"gone.ns",
       "DNS SRV _kopia._tcp.gone.ns.svc.cluster.local: the record's target is \".\": "
       "the service is not offered"},
  };
  for (const Case& c : cases) {
    const SourceReport r = ReadDnsSrv(c.service, "x", Paths());
    ASSERT_TRUE(r[Item::kUrl]) << c.service;
    EXPECT_EQ(FormatProblem(r, *r[Item::kUrl]), c.problem);
  }
}

TEST(DnsSrv, NoServiceNamedIsAbsent) {
  const SourceReport r = ReadDnsSrv("", "", SourcePaths{});
  EXPECT_EQ(r.state, SourceState::kAbsent);
  EXPECT_EQ(r.summary, "no Service named (--server-service or server.service)");
}

TEST(DnsSrv, BadServerAddress) {
  EXPECT_EQ(LookupSrv("_kopia._tcp.a.b", "localhost:53").status().message(),
            "DNS server localhost:53: expected an IPv4 address[:port]");
  EXPECT_EQ(LookupSrv("_kopia._tcp.a.b", "127.0.0.1:0").status().message(),
            "DNS server 127.0.0.1:0: invalid port");
}

// A nameserver that never answers fails the source: it might have held the URL.
TEST(DnsSrv, SilentServerFailsTheSource) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  SourcePaths paths;
  paths.dns_server = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const SourceReport r = ReadDnsSrv("bsls.ns", "x", paths);
  close(fd);
  EXPECT_EQ(r.state, SourceState::kFailed);
  EXPECT_EQ(r.summary, "no answer from the DNS server (asked " + paths.dns_server + ")");
}

}  // namespace
}  // namespace guestbackup::discovery
