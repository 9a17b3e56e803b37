#include "lean/policy/server_values.h"

#include "lean/policy/policy_schema.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {

std::optional<std::string> CheckServerValue(std::string_view key, std::string_view value) {
  const SchemaEntry* entry = FindSchemaEntry("server." + std::string(key));
  if (entry == nullptr) return "internal error: no policy key server." + std::string(key);
  if (value.empty()) return std::string("must not be empty");
  std::optional<ValueProblem> problem = CheckScalar(*entry, value);
  if (!problem) return std::nullopt;
  return problem->message;
}

std::string NormalizeServerFingerprint(std::string_view fingerprint) {
  return NormalizeFingerprint(fingerprint);
}

}  // namespace guestbackup::policy
