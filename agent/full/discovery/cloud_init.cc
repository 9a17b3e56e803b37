#include "full/discovery/cloud_init.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "full/discovery/identity.h"
#include "lean/base/quoted.h"
#include "lean/platform/bounded_read.h"
#include "lean/policy/server_values.h"
#include "lean/policy/suggest.h"
#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"

namespace guestbackup::discovery {
namespace {

using nlohmann::json;

struct KeyItem {
  const char* key;
  Item item;
  Form form;
};
// The keys of ds.meta_data.guestbackup: the policy's `server` keys a guest may publish.
constexpr KeyItem kKeys[] = {
    {"url", Item::kUrl, Form::kText},           {"fingerprint", Item::kFingerprint, Form::kText},
    {"ca_file", Item::kCa, Form::kFile},        {"username", Item::kUsername, Form::kText},
    {"hostname", Item::kHostname, Form::kText}, {"password_file", Item::kPassword, Form::kFile},
};

// An untrusted value as a message shows it: strings quoted and cut, containers by their size.
// Never dump() it whole: one value could be a megabyte (or nested deep enough to exhaust the
// stack of a recursive serializer).
std::string Describe(const json& value) {
  if (value.is_string()) return Quoted(value.get_ref<const std::string&>());
  if (value.is_object()) return "an object of " + std::to_string(value.size()) + " keys";
  if (value.is_array()) return "an array of " + std::to_string(value.size()) + " values";
  return value.dump();  // a number, a boolean or null: short
}

// `meta_prefix` names the metadata mapping in messages: "ds.meta_data." in cloud-init's
// instance data, "" in a config drive's meta_data.json.
void TakeOwnKeys(const json& own, const std::string& meta_prefix, SourceReport& report) {
  const std::string own_key = meta_prefix + kCloudInitKey;
  if (!own.is_object()) {
    for (const KeyItem& k : kKeys) {
      report.Refuse(k.item, own_key, "expected a mapping of server values");
    }
    return;
  }
  std::vector<std::string> known;
  for (const KeyItem& k : kKeys) known.emplace_back(k.key);
  for (const auto& [key, value] : own.items()) {
    const std::string where = own_key + "." + EscapeControl(key.substr(0, kMaxQuotedBytes));
    if (key == "password") {
      report.Refuse(Item::kPassword, where,
                    "refused: instance data is readable by every user; give password_file");
      continue;
    }
    const KeyItem* k = nullptr;
    for (const KeyItem& candidate : kKeys) {
      if (key == candidate.key) k = &candidate;
    }
    if (k == nullptr) {
      std::string note = where + ": unknown key";
      if (std::optional<std::string> close = policy::ClosestMatch(key, known)) {
        note += "; did you mean " + Quoted(*close) + "?";
      }
      report.notes.push_back(note);
      continue;
    }
    if (!value.is_string()) {
      report.Refuse(k->item, where, "expected a string, got " + Describe(value));
      continue;
    }
    std::string text = value.get<std::string>();
    if (std::optional<std::string> problem = policy::CheckServerValue(key, text)) {
      report.Refuse(k->item, where, *problem);
      continue;
    }
    if (k->item == Item::kFingerprint) text = policy::NormalizeServerFingerprint(text);
    report.Set(k->item, std::move(text), where, k->form);
  }
}

// KubeVirt's ConfigDrive meta_data.json has instance_id "<vm name>.<namespace>"; cloud-init
// keeps it in ds.meta_data (its own v1.instance_id is the firmware UUID).
void TakeIdentity(const json& meta, const std::string& meta_prefix, SourceReport& report) {
  auto it = meta.find("instance_id");
  if (it == meta.end()) return;
  const std::string where = meta_prefix + "instance_id";
  const bool need_user = !report[Item::kUsername];
  const bool need_host = !report[Item::kHostname];
  if (!need_user && !need_host) return;
  std::optional<Identity> identity;
  if (it->is_string()) identity = IdentityFromInstanceId(it->get<std::string>());
  if (!identity) {
    const std::string problem =
        "expected <vm name>.<namespace> as KubeVirt's ConfigDrive writes it, got " + Describe(*it);
    if (need_user) report.Refuse(Item::kUsername, where, problem);
    if (need_host) report.Refuse(Item::kHostname, where, problem);
    return;
  }
  const std::string from = "from instance_id " + Describe(*it);
  if (need_user)
    report.Set(Item::kUsername, identity->username, where, Form::kText, "VM name " + from);
  if (need_host)
    report.Set(Item::kHostname, identity->hostname, where, Form::kText, "namespace " + from);
}

std::string Summary(const json& data) {
  std::string summary;
  const json* v1 = data.contains("v1") && data["v1"].is_object() ? &data["v1"] : nullptr;
  // v1.platform names the datasource ("configdrive", "nocloud"); cloud_name is often "unknown".
  if (v1 != nullptr && v1->contains("platform") && (*v1)["platform"].is_string()) {
    summary = "datasource " +
              EscapeControl((*v1)["platform"].get<std::string>().substr(0, kMaxQuotedBytes));
  }
  if (v1 != nullptr && v1->contains("instance_id") && (*v1)["instance_id"].is_string()) {
    summary += (summary.empty() ? "" : ", ") + std::string("instance ") +
               EscapeControl((*v1)["instance_id"].get<std::string>().substr(0, kMaxQuotedBytes));
  }
  return summary.empty() ? "read" : summary;
}

// Whether `text` nests objects and arrays deeper than kMaxInstanceDataDepth (strings skipped).
// Checked before parsing: a value nested 100k deep must not reach any recursive code.
bool NestsTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxInstanceDataDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// The kind of metadata file, for messages.
struct MetadataKind {
  const char* noun;    // "instance data"
  const char* writer;  // "cloud-init's instance data"
};
constexpr MetadataKind kInstanceData = {"instance data", "cloud-init's instance data"};
constexpr MetadataKind kConfigDriveMetadata = {"meta_data.json", "a ConfigDrive's meta_data.json"};

// Metadata as JSON, bounded before anything recursive sees it. nullopt, with `report` failed
// and saying why, when it is refused.
std::optional<json> ParseBounded(const std::string& json_text, const MetadataKind& kind,
                                 SourceReport& report) {
  report.state = SourceState::kFailed;
  if (json_text.size() > kMaxInstanceDataBytes) {
    report.summary = "larger than " + platform::ByteLimitText(kMaxInstanceDataBytes) + "; " +
                     kind.writer + " is never that large";
    return std::nullopt;
  }
  if (NestsTooDeep(json_text)) {
    report.summary = "nested deeper than " + std::to_string(kMaxInstanceDataDepth) + " levels; " +
                     kind.writer + " never is";
    return std::nullopt;
  }
  json data;
  try {
    data = json::parse(json_text);
  } catch (const json::exception& e) {
    report.summary = std::string("not valid JSON: ") + e.what();
    return std::nullopt;
  }
  if (!data.is_object()) {
    report.summary = std::string("not valid ") + kind.noun + ": expected a JSON object";
    return std::nullopt;
  }
  report.state = SourceState::kRead;
  return data;
}

void TakeMetadata(const json& meta, const std::string& meta_prefix, SourceReport& report) {
  if (meta.contains(kCloudInitKey)) TakeOwnKeys(meta[kCloudInitKey], meta_prefix, report);
  TakeIdentity(meta, meta_prefix, report);
}

}  // namespace

SourceReport ParseInstanceData(const std::string& json_text, const std::string& name) {
  SourceReport report;
  report.name = name;
  const std::optional<json> parsed = ParseBounded(json_text, kInstanceData, report);
  if (!parsed) return report;
  const json& data = *parsed;
  report.summary = Summary(data);
  const json* meta = nullptr;
  if (data.contains("ds") && data["ds"].is_object() && data["ds"].contains("meta_data") &&
      data["ds"]["meta_data"].is_object()) {
    meta = &data["ds"]["meta_data"];
  }
  if (meta == nullptr) {
    report.summary += "; no datasource metadata";
    return report;
  }
  TakeMetadata(*meta, "ds.meta_data.", report);
  return report;
}

SourceReport ParseConfigDriveMetadata(const std::string& json_text, const std::string& name) {
  SourceReport report;
  report.name = name;
  const std::optional<json> meta = ParseBounded(json_text, kConfigDriveMetadata, report);
  if (!meta) return report;
  report.summary = "ConfigDrive";
  if (auto id = meta->find("instance_id"); id != meta->end() && id->is_string()) {
    report.summary += ", instance " + Quoted(id->get<std::string>());
  }
  TakeMetadata(*meta, "", report);
  return report;
}

SourceReport ReadMetadataFile(const std::string& path, const std::string& name,
                              SourceReport (*parse)(const std::string&, const std::string&)) {
  Result<std::string> text = platform::ReadRegularFile(path, kMaxInstanceDataBytes);
  if (text.ok()) return parse(*text, name);
  SourceReport failed;
  failed.name = name;
  failed.state = SourceState::kFailed;
  failed.summary = text.status().message();
  return failed;
}

Result<std::string> QueryCloudInit(const std::string& binary,
                                   const std::string& instance_data_file) {
  const char* path_env = std::getenv("PATH");
  auto program = process::LocateExecutable(
      binary, path_env != nullptr ? path_env : std::string(process::kDefaultPath));
  if (!program.ok()) return program.status();
  process::ProcessSpec spec;
  spec.argv = {*program,    "query",         "--all",    "--user-data",
               "/dev/null", "--vendor-data", "/dev/null"};
  if (!instance_data_file.empty()) {
    spec.argv.insert(spec.argv.end(), {"--instance-data", instance_data_file});
  }
  spec.timeout = std::chrono::seconds(30);
  spec.stdout_limit = kMaxInstanceDataBytes;
  auto result = process::Run(spec);
  if (!result.ok()) return result.status();
  if (!result->Succeeded() || result->stdout_truncated) {
    std::string why = result->stderr_data;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Failed("cloud-init query --all: " + result->Describe() +
                  (why.empty() ? "" : ": " + why));
  }
  return result->stdout_data;
}

}  // namespace guestbackup::discovery
