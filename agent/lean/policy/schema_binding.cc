#include "lean/policy/schema_binding.h"

#include "lean/policy/duration.h"
#include "lean/policy/policy_schema.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {
namespace {

// Normal forms: paths without "//", "." or a trailing "/"; fingerprints in kopia's spelling.
// Values reach here only after CheckAgainstSchema accepted them.
std::string Normal(ValueKind kind, const std::string& text) {
  switch (kind) {
    case ValueKind::kAbsolutePath:
    case ValueKind::kPathList: {
      Result<std::string> normalized = NormalizePath(text);
      return normalized.ok() ? *normalized : text;
    }
    case ValueKind::kFingerprint:
      return NormalizeFingerprint(text);
    default:
      return text;
  }
}

}  // namespace

std::string StoredString(const SchemaEntry& entry, const YAML::Node& value) {
  return Normal(entry.kind, value.Scalar());
}

std::vector<std::string> StoredStrings(const SchemaEntry& entry, const YAML::Node& value) {
  std::vector<std::string> out;
  out.reserve(value.size());
  for (const auto& item : value) out.push_back(Normal(entry.kind, item.Scalar()));
  return out;
}

int StoredInt(const YAML::Node& value) {
  return static_cast<int>(ParseInteger(value.Scalar()).value_or(0));
}

bool StoredBool(const YAML::Node& value) { return ParseBool(value.Scalar()).value_or(false); }

std::chrono::milliseconds StoredDuration(const YAML::Node& value) {
  Result<std::chrono::milliseconds> duration = ParseDuration(value.Scalar());
  return duration.ok() ? *duration : std::chrono::milliseconds(0);
}

std::string Shown(const std::string& value) { return value; }

std::string Shown(const std::vector<std::string>& value) {
  std::string text = "[";
  for (const std::string& item : value) text += (text.size() > 1 ? ", " : "") + item;
  return text + "]";
}

std::string Shown(int value) { return std::to_string(value); }

std::string Shown(const std::optional<int>& value) {
  return value ? std::to_string(*value) : std::string();
}

std::string Shown(bool value) { return value ? "true" : "false"; }

std::string Shown(std::chrono::milliseconds value) { return FormatDuration(value); }

std::string Shown(std::chrono::seconds value) {
  return FormatDuration(std::chrono::milliseconds(value));
}

}  // namespace guestbackup::policy
