// See dns_srv.h: LookupSrv on Windows, with DnsQuery_W — the system's resolver and its cache,
// or one IPv4 server when asked. DnsQuery_W always asks on port 53, so a server with another
// port is refused rather than silently asked on the wrong one.
#include <winsock2.h>
// After winsock2.h, which must come before windows.h.
#include <windows.h>
// After windows.h, which they need.
#include <windns.h>
#include <ws2tcpip.h>

#include "full/discovery/dns_srv.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::discovery {

Result<std::vector<SrvRecord>> LookupSrv(const std::string& name, const std::string& server) {
  IP4_ARRAY servers{};
  PIP4_ARRAY extra = nullptr;
  DWORD options = DNS_QUERY_STANDARD;
  if (!server.empty()) {
    Result<DnsServer> parsed = ParseDnsServer(server);
    if (!parsed.ok()) return parsed.status();
    if (parsed->port != kDnsPort) {
      return InvalidArgument("DNS server " + server + ": Windows asks DNS servers on port 53 only");
    }
    in_addr address{};
    if (inet_pton(AF_INET, parsed->host.c_str(), &address) != 1) {
      return InvalidArgument("DNS server " + server + ": expected an IPv4 address[:port]");
    }
    servers.AddrCount = 1;
    servers.AddrArray[0] = address.s_addr;
    extra = &servers;
    options |= DNS_QUERY_BYPASS_CACHE;
  }
  PDNS_RECORDW answer = nullptr;
  const DNS_STATUS status = DnsQuery_W(platform::Utf8ToWide(name).c_str(), DNS_TYPE_SRV, options,
                                       extra, &answer, nullptr);
  const std::string asked = server.empty() ? "" : " (asked " + server + ")";
  if (status == DNS_ERROR_RCODE_NAME_ERROR) return NotFound("no such name" + asked);
  if (status == DNS_INFO_NO_RECORDS) return NotFound("the name has no SRV record" + asked);
  if (status != 0) return Unavailable("no answer from the DNS server" + asked);
  std::vector<SrvRecord> records;
  for (PDNS_RECORDW r = answer; r != nullptr; r = r->pNext) {
    if (r->wType != DNS_TYPE_SRV || r->Flags.S.Section != DnsSectionAnswer) continue;
    SrvRecord record;
    record.priority = r->Data.SRV.wPriority;
    record.weight = r->Data.SRV.wWeight;
    record.port = r->Data.SRV.wPort;
    record.target = platform::WideToUtf8(r->Data.SRV.pNameTarget);
    if (record.target.ends_with(".")) record.target.pop_back();
    records.push_back(std::move(record));
  }
  DnsRecordListFree(answer, DnsFreeRecordList);
  if (records.empty()) return NotFound("the name has no SRV record" + asked);
  return records;
}

}  // namespace guestbackup::discovery
