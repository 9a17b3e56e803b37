// See dns_srv.h: LookupSrv on Linux, with libresolv (res_nquery on a private resolver state,
// so the nameserver can be set for one query).
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <cstring>

#include "full/discovery/dns_srv.h"

namespace guestbackup::discovery {
namespace {

// Bounds a lookup: 2 s per try, 2 tries per nameserver.
constexpr int kRetransSeconds = 2;
constexpr int kRetries = 2;

Status UseServer(res_state state, const std::string& server) {
  Result<DnsServer> parsed = ParseDnsServer(server);
  if (!parsed.ok()) return parsed.status();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(parsed->port);
  if (inet_pton(AF_INET, parsed->host.c_str(), &address.sin_addr) != 1) {
    return InvalidArgument("DNS server " + server + ": expected an IPv4 address[:port]");
  }
  state->nsaddr_list[0] = address;
  state->nscount = 1;
  return Status::Ok();
}

Result<std::vector<SrvRecord>> ParseAnswer(const unsigned char* answer, int length) {
  ns_msg message;
  if (ns_initparse(answer, length, &message) != 0) {
    return InvalidArgument("the answer cannot be parsed");
  }
  std::vector<SrvRecord> records;
  const int count = ns_msg_count(message, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&message, ns_s_an, i, &rr) != 0) {
      return InvalidArgument("answer record " + std::to_string(i) + " cannot be parsed");
    }
    if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in) continue;
    const unsigned char* data = ns_rr_rdata(rr);
    if (ns_rr_rdlen(rr) < 7) return InvalidArgument("a short SRV record in the answer");
    SrvRecord record;
    record.priority = ns_get16(data);
    record.weight = ns_get16(data + 2);
    record.port = ns_get16(data + 4);
    char target[NS_MAXDNAME];
    if (ns_name_uncompress(ns_msg_base(message), ns_msg_end(message), data + 6, target,
                           sizeof target) < 0) {
      return InvalidArgument("an SRV record with a bad target");
    }
    record.target = target;
    if (record.target.ends_with(".")) record.target.pop_back();
    records.push_back(std::move(record));
  }
  if (records.empty()) return NotFound("the name has no SRV record");
  return records;
}

}  // namespace

Result<std::vector<SrvRecord>> LookupSrv(const std::string& name, const std::string& server) {
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (res_ninit(&state) != 0) return Unavailable("cannot initialise the DNS resolver");
  state.retrans = kRetransSeconds;
  state.retry = kRetries;
  Status use = server.empty() ? Status::Ok() : UseServer(&state, server);
  if (!use.ok()) {
    res_nclose(&state);
    return use;
  }
  unsigned char answer[NS_MAXMSG];
  const int length = res_nquery(&state, name.c_str(), ns_c_in, ns_t_srv, answer, sizeof answer);
  const int error = state.res_h_errno;
  res_nclose(&state);
  const std::string asked = server.empty() ? "" : " (asked " + server + ")";
  if (length < 0) {
    switch (error) {
      case HOST_NOT_FOUND:
        return NotFound("no such name" + asked);
      case NO_DATA:
        return NotFound("the name has no SRV record" + asked);
      default:
        return Unavailable("no answer from the DNS server" + asked);
    }
  }
  return ParseAnswer(answer, length);
}

}  // namespace guestbackup::discovery
