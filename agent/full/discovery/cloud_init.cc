#include "full/discovery/cloud_init.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
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
constexpr const char* kPrefix = "ds.meta_data.guestbackup.";

// An untrusted value as a message shows it: strings quoted and cut, containers by their size.
// Never dump() it whole: one value could be a megabyte (or nested deep enough to exhaust the
// stack of a recursive serializer).
std::string Describe(const json& value) {
  if (value.is_string()) return Quoted(value.get_ref<const std::string&>());
  if (value.is_object()) return "an object of " + std::to_string(value.size()) + " keys";
  if (value.is_array()) return "an array of " + std::to_string(value.size()) + " values";
  return value.dump();  // a number, a boolean or null: short
}

void TakeOwnKeys(const json& own, SourceReport& report) {
  if (!own.is_object()) {
    for (const KeyItem& k : kKeys) {
      report.Refuse(k.item, "ds.meta_data.guestbackup", "expected a mapping of server values");
    }
    return;
  }
  std::vector<std::string> known;
  for (const KeyItem& k : kKeys) known.emplace_back(k.key);
  for (const auto& [key, value] : own.items()) {
    const std::string where = kPrefix + EscapeControl(key.substr(0, kMaxQuotedBytes));
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
void TakeIdentity(const json& meta, SourceReport& report) {
  auto it = meta.find("instance_id");
  if (it == meta.end()) return;
  const std::string where = "ds.meta_data.instance_id";
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

}  // namespace

SourceReport ParseInstanceData(const std::string& json_text, const std::string& name) {
  SourceReport report;
  report.name = name;
  if (json_text.size() > kMaxInstanceDataBytes) {
    report.state = SourceState::kFailed;
    report.summary = "larger than " + platform::ByteLimitText(kMaxInstanceDataBytes) +
                     "; cloud-init's instance data is never that large";
    return report;
  }
  if (NestsTooDeep(json_text)) {
    report.state = SourceState::kFailed;
    report.summary = "nested deeper than " + std::to_string(kMaxInstanceDataDepth) +
                     " levels; cloud-init's instance data never is";
    return report;
  }
  json data;
  try {
    data = json::parse(json_text);
  } catch (const json::exception& e) {
    report.state = SourceState::kFailed;
    report.summary = std::string("not valid JSON: ") + e.what();
    return report;
  }
  if (!data.is_object()) {
    report.state = SourceState::kFailed;
    report.summary = "not valid instance data: expected a JSON object";
    return report;
  }
  report.state = SourceState::kRead;
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
  if (meta->contains(kCloudInitKey)) TakeOwnKeys((*meta)[kCloudInitKey], report);
  TakeIdentity(*meta, report);
  return report;
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

SourceReport ReadCloudInit(const SourcePaths& paths) {
  const std::string name = "cloud-init " + paths.instance_data;
  std::error_code ec;
  if (std::filesystem::exists(paths.instance_data, ec)) {
    Result<std::string> text =
        platform::ReadRegularFile(paths.instance_data, kMaxInstanceDataBytes);
    if (text.ok()) return ParseInstanceData(*text, name);
    SourceReport failed;
    failed.name = name;
    failed.state = SourceState::kFailed;
    failed.summary = text.status().message();
    return failed;
  }
  SourceReport absent;
  absent.name = name;
  absent.summary = "no instance data (cloud-init has not run here)";
  if (paths.cloud_init.empty()) return absent;
  auto queried = QueryCloudInit(paths.cloud_init);
  if (queried.ok()) return ParseInstanceData(*queried, "cloud-init query --all");
  if (queried.status().code() != StatusCode::kNotFound) {
    absent.summary += "; " + queried.status().message();
  }
  return absent;
}

}  // namespace guestbackup::discovery
