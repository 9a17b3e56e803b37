// Private to the loader: checks of single values (a scalar's text against its schema entry),
// and the normal forms the loader stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lean/base/status.h"
#include "lean/policy/local_path.h"
#include "lean/policy/policy_schema.h"

namespace guestbackup::policy {

struct ValueProblem {
  std::string message;
  int offset = 0;  // where in the value the problem is (0 = its start)
};

// Checks the text of a scalar against a scalar `entry` (not lists or mappings), or of one item
// against a kChoiceList entry.
std::optional<ValueProblem> CheckScalar(const SchemaEntry& entry, std::string_view value);

// A NUL byte anywhere: no path or name can hold one, so every value with one is refused.
std::optional<ValueProblem> CheckNoNul(std::string_view value);

// An accepted fingerprint in kopia's form: lowercase hex without separators.
std::string NormalizeFingerprint(std::string_view fingerprint);

// Job names become unit and lock file names: ^[a-z0-9][a-z0-9_-]{0,62}$.
bool IsValidJobName(std::string_view name);

// Parses a YAML integer scalar ("10", "-1"); nullopt when it is not one.
std::optional<long long> ParseInteger(std::string_view text);

// YAML's spellings of booleans that the policy accepts: true/false in any case.
std::optional<bool> ParseBool(std::string_view text);

}  // namespace guestbackup::policy
