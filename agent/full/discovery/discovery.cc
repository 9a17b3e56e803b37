#include "full/discovery/discovery.h"

#include <cstdlib>
#include <functional>

#include "full/discovery/cloud_init.h"
#include "full/discovery/config_disk.h"
#include "full/discovery/dns_srv.h"
#include "lean/policy/server_values.h"

namespace guestbackup::discovery {
namespace {

constexpr Item kRequired[] = {Item::kUrl, Item::kUsername, Item::kHostname, Item::kPassword};

std::string GivenItems(const SourceReport& report) {
  std::string items;
  for (Item item : kAllItems) {
    if (report[item]) items += (items.empty() ? "" : ", ") + std::string(ItemName(item));
  }
  return items;
}

// A value typed on the command line, checked as the policy checks its own.
void TakeFlag(SourceReport& report, Item item, const char* flag, std::string_view policy_key,
              const std::string& value, Form form = Form::kText) {
  if (value.empty()) return;
  if (std::optional<std::string> problem = policy::CheckServerValue(policy_key, value)) {
    report.Refuse(item, flag, *problem);
    return;
  }
  report.Set(item, item == Item::kFingerprint ? policy::NormalizeServerFingerprint(value) : value,
             flag, form);
}

SourceReport FlagSource(const ServerFlags& flags) {
  SourceReport report;
  report.name = "command line";
  TakeFlag(report, Item::kUrl, "--server-url", "url", flags.url);
  TakeFlag(report, Item::kFingerprint, "--server-fingerprint", "fingerprint", flags.fingerprint);
  TakeFlag(report, Item::kUsername, "--username", "username", flags.username);
  TakeFlag(report, Item::kHostname, "--hostname", "hostname", flags.hostname);
  TakeFlag(report, Item::kPassword, "--password-file", "password_file", flags.password_file,
           Form::kFile);
  const std::string items = GivenItems(report);
  report.state = items.empty() ? SourceState::kAbsent : SourceState::kRead;
  report.summary = items.empty() ? "no server flags" : "gives " + items;
  return report;
}

// The loader has checked these already.
SourceReport PolicySource(const policy::Policy& policy) {
  SourceReport report;
  report.name = "policy " + policy.source_path;
  const policy::ServerSpec& s = policy.server;
  auto take = [&](Item item, const std::string& value, const char* key, Form form) {
    if (!value.empty()) report.Set(item, value, key, form);
  };
  take(Item::kUrl, s.url, "server.url", Form::kText);
  take(Item::kFingerprint, s.fingerprint, "server.fingerprint", Form::kText);
  take(Item::kCa, s.ca_file, "server.ca_file", Form::kFile);
  take(Item::kUsername, s.username, "server.username", Form::kText);
  take(Item::kHostname, s.hostname, "server.hostname", Form::kText);
  take(Item::kPassword, s.password_file, "server.password_file", Form::kFile);
  const std::string items = GivenItems(report);
  report.state = items.empty() ? SourceState::kAbsent : SourceState::kRead;
  report.summary = items.empty() ? "no server values" : "gives " + items;
  return report;
}

SourceReport DnsSource(const DiscoveryOptions& options, const policy::Policy& policy) {
  if (!options.flags.service.empty()) {
    if (std::optional<std::string> problem =
            policy::CheckServerValue("service", options.flags.service)) {
      SourceReport report;
      report.name = "DNS SRV";
      report.state = SourceState::kFailed;
      report.summary = "--server-service: " + *problem;
      return report;
    }
    return ReadDnsSrv(options.flags.service, "--server-service", options.paths);
  }
  return ReadDnsSrv(policy.server.service, "policy server.service", options.paths);
}

void Decide(DiscoveryReport& report, int index) {
  const SourceReport& source = report.sources[static_cast<std::size_t>(index)];
  for (Item item : kAllItems) {
    Decision& decision = report.decisions[static_cast<int>(item)];
    if (decision.source >= 0) continue;
    if (source.state == SourceState::kFailed) {
      decision.source = index;
      decision.problem = source.name + ": " + source.summary;
    } else if (source.state == SourceState::kRead && source[item]) {
      decision.source = index;
      decision.value = source[item];
      if (!source[item]->problem.empty()) decision.problem = FormatProblem(source, *source[item]);
    }
  }
}

bool Decided(const DiscoveryReport& report, Item item) { return report[item].source >= 0; }

bool AllDecided(const DiscoveryReport& report) {
  for (Item item : kRequired) {
    if (!Decided(report, item)) return false;
  }
  return Decided(report, Item::kFingerprint) || Decided(report, Item::kCa);
}

// Between a pinned fingerprint and a CA, the one from the higher source verifies the server;
// from the same source, the fingerprint (a broken one is an error, never a silent fallback).
const Decision* TrustDecision(const DiscoveryReport& report) {
  const Decision& fp = report[Item::kFingerprint];
  const Decision& ca = report[Item::kCa];
  if (fp.source < 0 && ca.source < 0) return nullptr;
  if (fp.source < 0) return &ca;
  if (ca.source < 0 || fp.source <= ca.source) return &fp;
  return &ca;
}

}  // namespace

std::vector<std::string> DiscoveryReport::Missing() const {
  std::vector<std::string> missing;
  auto unusable = [](const Decision* d) {
    return d == nullptr || !d->problem.empty() || !d->value;
  };
  for (Item item : {Item::kUrl, Item::kUsername, Item::kHostname, Item::kPassword}) {
    if (unusable(&(*this)[item])) missing.emplace_back(ItemName(item));
    if (item == Item::kUrl && unusable(TrustDecision(*this))) {
      missing.emplace_back("fingerprint or ca");
    }
  }
  return missing;
}

std::vector<std::string> DiscoveryReport::Problems() const {
  std::vector<std::string> problems;
  for (const SourceReport& source : sources) {
    if (source.state == SourceState::kFailed)
      problems.push_back(source.name + ": " + source.summary);
    for (const auto& candidate : source.values) {
      if (candidate && !candidate->problem.empty()) {
        problems.push_back(FormatProblem(source, *candidate));
      }
    }
    for (const std::string& note : source.notes) problems.push_back(source.name + ": " + note);
  }
  return problems;
}

DiscoveryReport Discover(const DiscoveryOptions& options, const policy::Policy& policy,
                         bool read_all) {
  DiscoveryReport report;
  const std::vector<std::function<std::vector<SourceReport>()>> readers = {
      [&] { return std::vector<SourceReport>{FlagSource(options.flags)}; },
      [&] { return std::vector<SourceReport>{PolicySource(policy)}; },
      [&] { return ReadConfigDisks(options.paths); },
      [&] { return std::vector<SourceReport>{ReadCloudInit(options.paths)}; },
      [&] { return std::vector<SourceReport>{DnsSource(options, policy)}; },
  };
  for (const auto& read : readers) {
    if (!read_all && AllDecided(report)) break;
    for (SourceReport& source : read()) {
      report.sources.push_back(std::move(source));
      Decide(report, static_cast<int>(report.sources.size()) - 1);
    }
  }
  const Decision* trust = TrustDecision(report);
  report.trust_by_ca = trust == &report[Item::kCa];
  return report;
}

Result<ServerConfig> RequireServer(const DiscoveryReport& report) {
  const std::vector<std::string> missing = report.Missing();
  if (!missing.empty()) {
    std::string message = "the server settings are incomplete after discovery:";
    auto explain = [&](const std::string& what, const Decision* d) {
      message += "\n  " + what + ": ";
      if (d == nullptr || d->source < 0) {
        message += "no source gives it";
      } else {
        message += d->problem;
      }
    };
    for (const std::string& what : missing) {
      const Decision* d = nullptr;
      if (what == "fingerprint or ca") {
        d = TrustDecision(report);
      } else {
        for (Item item : kAllItems) {
          if (ItemName(item) == what) d = &report[item];
        }
      }
      explain(what, d);
    }
    message += "\nsources tried, highest precedence first:";
    for (const SourceReport& source : report.sources) {
      message += "\n  " + source.name + ": " + source.summary;
    }
    message += "\n(`guestbackup discover` shows each value and where it came from)";
    return InvalidArgument(message);
  }
  ServerConfig config;
  config.url = report[Item::kUrl].value->value;
  config.username = report[Item::kUsername].value->value;
  config.hostname = report[Item::kHostname].value->value;
  if (!report.trust_by_ca) config.fingerprint = report[Item::kFingerprint].value->value;
  if (const auto& ca = report[Item::kCa]; ca.value && ca.problem.empty()) {
    if (ca.value->form == Form::kFile) {
      config.ca_file = ca.value->value;
    } else if (report.trust_by_ca) {
      config.ca_pem = ca.value->value;
    }
  }
  const Decision& password = report[Item::kPassword];
  const SourceReport& source = report.sources[static_cast<std::size_t>(password.source)];
  config.password_origin = source.name + " (" + password.value->key + ")";
  if (password.value->form == Form::kFile) {
    config.password_file = password.value->value;
  } else {
    config.password = password.value->value;
  }
  return config;
}

}  // namespace guestbackup::discovery
