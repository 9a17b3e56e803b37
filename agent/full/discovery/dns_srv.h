// The DNS source: Kubernetes publishes an SRV record for each named Service port,
// `_<port>._tcp.<service>.<namespace>.svc.<cluster domain>`; the controller names the server's
// port "kopia". Looked up with libresolv on Linux (dns_srv_lookup_linux.cc), so the nameserver
// can be set for one query, and with DnsQuery_W on Windows (dns_srv_lookup_win32.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "full/discovery/candidates.h"
#include "lean/base/status.h"
#include "lean/context/discovery_options.h"

namespace guestbackup::discovery {

struct SrvRecord {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;  // without the final "."
};

// "bsls.ns" -> "_kopia._tcp.bsls.ns.svc.<cluster_domain>"; a name of three or more labels is
// taken as the Service's full DNS name: "bsls.ns.svc.example.org" ->
// "_kopia._tcp.bsls.ns.svc.example.org".
std::string SrvName(std::string_view service, std::string_view cluster_domain);

// The SRV records of `name`, asked of `server` ("IPv4[:PORT]") or, when "", of the
// nameservers in /etc/resolv.conf. kNotFound when the name or its SRV records do not exist;
// kUnavailable when no nameserver answers; kInvalidArgument for a bad `server` or answer.
// Messages do not repeat `name`.
Result<std::vector<SrvRecord>> LookupSrv(const std::string& name, const std::string& server);

// A server as LookupSrv takes it, "HOST[:PORT]", split; kInvalidArgument for a bad port.
inline constexpr std::uint16_t kDnsPort = 53;
struct DnsServer {
  std::string host;
  std::uint16_t port = kDnsPort;
};
Result<DnsServer> ParseDnsServer(const std::string& server);

// The record RFC 2782 says to try first: lowest priority, then highest weight.
const SrvRecord* PreferredRecord(const std::vector<SrvRecord>& records);

// The source for the Service named `service` (given by `origin`: "--server-service" or
// "policy ... server.service"); kAbsent with a hint when `service` is "".
SourceReport ReadDnsSrv(const std::string& service, const std::string& origin,
                        const SourcePaths& paths);

}  // namespace guestbackup::discovery
