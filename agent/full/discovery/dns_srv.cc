// See dns_srv.h: what the Linux and Windows lookups share (dns_srv_lookup_*.cc).
#include "full/discovery/dns_srv.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "lean/policy/server_values.h"

namespace guestbackup::discovery {

std::string SrvName(std::string_view service, std::string_view cluster_domain) {
  const std::size_t dots =
      static_cast<std::size_t>(std::count(service.begin(), service.end(), '.'));
  std::string name = "_kopia._tcp." + std::string(service);
  if (dots == 1) name += ".svc." + std::string(cluster_domain);
  return name;
}

Result<DnsServer> ParseDnsServer(const std::string& server) {
  DnsServer parsed{server, kDnsPort};
  if (const std::size_t colon = server.rfind(':'); colon != std::string::npos) {
    parsed.host = server.substr(0, colon);
    const std::string digits = server.substr(colon + 1);
    unsigned value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        value == 0 || value > 65535) {
      return InvalidArgument("DNS server " + server + ": invalid port");
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  return parsed;
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
