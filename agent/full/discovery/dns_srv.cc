#include "full/discovery/dns_srv.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "lean/policy/server_values.h"

namespace guestbackup::discovery {
namespace {

// Bounds a lookup: 2 s per try, 2 tries per nameserver.
constexpr int kRetransSeconds = 2;
constexpr int kRetries = 2;

Status UseServer(res_state state, const std::string& server) {
  std::string host = server;
  std::uint16_t port = NS_DEFAULTPORT;
  if (const std::size_t colon = server.rfind(':'); colon != std::string::npos) {
    host = server.substr(0, colon);
    const std::string digits = server.substr(colon + 1);
    unsigned value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        value == 0 || value > 65535) {
      return InvalidArgument("DNS server " + server + ": invalid port");
    }
    port = static_cast<std::uint16_t>(value);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
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

std::string SrvName(std::string_view service, std::string_view cluster_domain) {
  const std::size_t dots =
      static_cast<std::size_t>(std::count(service.begin(), service.end(), '.'));
  std::string name = "_kopia._tcp." + std::string(service);
  if (dots == 1) name += ".svc." + std::string(cluster_domain);
  return name;
}

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

const SrvRecord* PreferredRecord(const std::vector<SrvRecord>& records) {
  const SrvRecord* best = nullptr;
  for (const SrvRecord& r : records) {
    if (best == nullptr || r.priority < best->priority ||
        (r.priority == best->priority && r.weight > best->weight)) {
      best = &r;
    }
  }
  return best;
}

SourceReport ReadDnsSrv(const std::string& service, const std::string& origin,
                        const SourcePaths& paths) {
  SourceReport report;
  if (service.empty()) {
    report.name = "DNS SRV";
    report.summary = "no Service named (--server-service or server.service)";
    return report;
  }
  const std::string name = SrvName(service, paths.cluster_domain);
  report.name = "DNS SRV " + name;
  auto records = LookupSrv(name, paths.dns_server);
  if (!records.ok()) {
    if (records.status().code() == StatusCode::kNotFound) {
      report.state = SourceState::kRead;
      report.summary = "Service " + service + " from " + origin;
      report.Refuse(Item::kUrl, "", records.status().message());
    } else {
      report.state = SourceState::kFailed;
      report.summary = records.status().message();
    }
    return report;
  }
  const SrvRecord* record = PreferredRecord(*records);
  report.state = SourceState::kRead;
  report.summary = "Service " + service + " from " + origin + "; " +
                   std::to_string(records->size()) +
                   (records->size() == 1 ? " record" : " records");
  if (record->target.empty()) {
    report.Refuse(Item::kUrl, "", "the record's target is \".\": the service is not offered");
    return report;
  }
  const std::string url = "https://" + record->target + ":" + std::to_string(record->port);
  if (std::optional<std::string> problem = policy::CheckServerValue("url", url)) {
    report.Refuse(Item::kUrl, "", "the record gives " + url + ": " + *problem);
    return report;
  }
  report.Set(Item::kUrl, url, "", Form::kText,
             "priority " + std::to_string(record->priority) + ", weight " +
                 std::to_string(record->weight));
  return report;
}

}  // namespace guestbackup::discovery
