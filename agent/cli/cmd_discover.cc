// `guestbackup discover [--json]`: every server value, where it came from, and every source
// that was asked — also the lower ones a run would not need — with their problems. The
// password itself is never printed, only where it is kept.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/table.h"
#include "full/discovery/discovery.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

using discovery::Decision;
using discovery::DiscoveryReport;
using discovery::Form;
using discovery::Item;
using discovery::ServerFlags;

std::string_view StateName(discovery::SourceState state) {
  switch (state) {
    case discovery::SourceState::kAbsent:
      return "absent";
    case discovery::SourceState::kRead:
      return "read";
    case discovery::SourceState::kFailed:
      return "failed";
  }
  return "?";
}

const discovery::SourceReport* SourceOf(const DiscoveryReport& report, const Decision& d) {
  if (d.source < 0) return nullptr;
  return &report.sources[static_cast<std::size_t>(d.source)];
}

// What the table shows as the value: never the password, and a CA as what it is.
std::string Shown(const DiscoveryReport& report, Item item, const discovery::Candidate& c) {
  if (item == Item::kPassword) {
    return c.form == Form::kFile ? "file " + c.value : "kept in memory, never shown";
  }
  if (item == Item::kCa) {
    std::string text = c.form == Form::kFile ? "file " + c.value : "PEM, " + c.detail;
    if (!report.trust_by_ca) text += " (unused: the fingerprint is pinned)";
    return text;
  }
  if (item == Item::kFingerprint && report.trust_by_ca) return c.value + " (unused: CA decides)";
  return c.value;
}

std::string Where(const discovery::SourceReport& source, const discovery::Candidate& c) {
  std::string where = source.name;
  if (!c.key.empty()) where += ": " + c.key;
  if (!c.detail.empty() && c.form != Form::kInline) where += " (" + c.detail + ")";
  return where;
}

nlohmann::json ValueJson(const DiscoveryReport& report, Item item) {
  const Decision& d = report[item];
  const discovery::SourceReport* source = SourceOf(report, d);
  if (source == nullptr) return nullptr;
  nlohmann::json j = {{"source", source->name}};
  if (!d.problem.empty()) {
    j["problem"] = d.problem;
    if (d.value) j["key"] = d.value->key;
    return j;
  }
  const discovery::Candidate& c = *d.value;
  j["key"] = c.key;
  j["form"] = c.form == Form::kFile ? "file" : c.form == Form::kInline ? "inline" : "text";
  if (!c.detail.empty()) j["detail"] = c.detail;
  if (item != Item::kPassword || c.form != Form::kInline) j["value"] = c.value;
  return j;
}

nlohmann::json ReportJson(const DiscoveryReport& report) {
  nlohmann::json values = nlohmann::json::object();
  for (Item item : discovery::kAllItems) {
    values[std::string(discovery::ItemName(item))] = ValueJson(report, item);
  }
  nlohmann::json sources = nlohmann::json::array();
  for (const discovery::SourceReport& s : report.sources) {
    nlohmann::json gives = nlohmann::json::array();
    for (Item item : discovery::kAllItems) {
      if (s[item] && s[item]->problem.empty()) gives.push_back(discovery::ItemName(item));
    }
    sources.push_back({{"name", s.name},
                       {"state", StateName(s.state)},
                       {"summary", s.summary},
                       {"gives", gives}});
  }
  const std::vector<std::string> missing = report.Missing();
  return {{"complete", missing.empty()},
          {"missing", missing},
          {"trust", report.trust_by_ca ? "ca" : "fingerprint"},
          {"values", values},
          {"sources", sources},
          {"problems", report.Problems()}};
}

void PrintReport(const DiscoveryReport& report, std::ostream& out) {
  const std::vector<std::string> missing = report.Missing();
  Table values({"VALUE", "SETTING", "FROM"});
  for (Item item : discovery::kAllItems) {
    const Decision& d = report[item];
    const discovery::SourceReport* source = SourceOf(report, d);
    const std::string name(discovery::ItemName(item));
    if (source == nullptr) {
      values.AddRow({name, "-", "no source gives it"});
    } else if (!d.problem.empty()) {
      values.AddRow({name, "(unusable)", d.problem});
    } else {
      values.AddRow({name, Shown(report, item, *d.value), Where(*source, *d.value)});
    }
  }
  values.Print(out);
  out << "\n";
  if (missing.empty()) {
    out << "complete: a connection would use these values\n";
  } else {
    out << "incomplete: no usable";
    for (std::size_t i = 0; i < missing.size(); ++i) out << (i ? ", " : " ") << missing[i];
    out << "\n";
  }
  out << "\nsources, highest precedence first:\n";
  Table sources({"SOURCE", "STATE", "FOUND"});
  for (const discovery::SourceReport& s : report.sources) {
    sources.AddRow({s.name, std::string(StateName(s.state)), s.summary});
  }
  sources.Print(out);
  const std::vector<std::string> problems = report.Problems();
  if (!problems.empty()) {
    out << "\nproblems:\n";
    for (const std::string& p : problems) out << "  " << p << "\n";
  }
}

int RunDiscover(CliState& state) {
  // Before a policy is written (a fresh guest), discovery still shows what it finds.
  policy::Policy none;
  none.source_path = state.options.agent.policy_path + " (no such file)";
  std::error_code ec;
  auto policy = std::filesystem::exists(state.options.agent.policy_path, ec)
                    ? context::LoadPolicy(state.options.agent.policy_path)
                    : Result<policy::Policy>(std::move(none));
  if (!policy.ok()) return ReportError(state, policy.status());
  const DiscoveryReport report =
      discovery::Discover(state.options.agent.discovery, *policy, /*read_all=*/true);
  if (state.json) {
    *state.out << ReportJson(report).dump(2) << "\n";
  } else {
    PrintReport(report, *state.out);
  }
  return report.Missing().empty() ? contract::kExitOk : contract::kExitUsage;
}

}  // namespace

void RegisterDiscoverCommand(CLI::App& app, CliState& state) {
  CLI::App* cmd = app.add_subcommand(
      "discover",
      "Show the server values (URL, fingerprint, CA, identity, password source) and where each "
      "came from: flags, the policy, a KubeVirt config disk, cloud-init or DNS SRV");
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->footer("Exit code 0 when a connection has every value it needs, 2 when not.");
  cmd->callback([&state] { state.action = [&state] { return RunDiscover(state); }; });
}

}  // namespace guestbackup::cli
