// The schema table of the policy file: every key with its type, default, description, example
// and binding (where its value goes in the Policy). Validation, building the Policy, the sample
// printed by `policy init` and docs/policy.md all come from it, so they cannot disagree, and a
// key exists in this one place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lean/policy/schema_binding.h"

namespace guestbackup::policy {

// What a key holds, and so how its value is checked.
enum class ValueKind {
  kMapping,        // fixed keys, each a child entry "<path>.<key>"
  kNamedMappings,  // keys are names chosen by the user (jobs); each value is "<path>.*"
  kMappingList,    // a list whose items are described by "<path>[]"
  kStringList,     // a list of strings
  kPathList,       // a non-empty list of absolute paths without duplicates
  kArgv,           // a non-empty list of strings; the first is an absolute path
  kString,         // a non-empty string
  kVersion,        // the integer 1
  kCount,          // an integer >= 0
  kPositiveCount,  // an integer >= 1
  kBool,           // true or false
  kDuration,       // "30s", "1h30m" (> 0)
  kDelay,          // a duration in whole seconds; 0 allowed
  kAbsolutePath,   // "/..." without ".." components
  kHttpsUrl,       // https://host[:port]
  kWebhookUrl,     // https://host[:port][/path]
  kFingerprint,    // SHA-256 as 64 hex digits (":" separators and upper case accepted)
  kIdentityName,   // kopia user or host name: [a-z0-9._-]+
  kServiceName,    // Kubernetes Service "name.namespace[.svc.domain]": DNS labels, 2 or more
  kHookName,       // [a-z0-9][a-z0-9_-]*
  kSchedule,       // systemd OnCalendar expression
  kRate,           // "20MiB/s", "100Mbit/s" or "unlimited" (lean/policy/bandwidth.h)
  kWeeklyWindow,   // "Mon..Fri 08:00-18:00": days and a time of day (lean/policy/bandwidth.h)
  kChoice,         // one of `choices`
  kChoiceList,     // a list of distinct items of `choices` (may be empty)
};

struct SchemaEntry {
  std::string path;  // "jobs.*.hooks.before[].timeout"
  ValueKind kind = ValueKind::kString;
  bool required = false;
  // As shown to users; "" when there is none. For a leaf bound to a field whose struct
  // default is its default, this is that default (Binding::struct_default), never retyped.
  std::string default_text;
  std::string description;  // one or two sentences, no trailing newline
  std::string example;      // a YAML value ("30s", "[/etc]"); the key for "<path>.*" entries
  std::vector<std::string> choices;  // kChoice and kChoiceList only
  // An alternative or an opt-in: shown commented out in the sample (a mapping with all its keys).
  bool sample_commented = false;
  Binding bind;  // every entry has one (a test checks): the builder knows no key names
};

// All entries, parents before children, in the order the sample and the docs show them.
const std::vector<SchemaEntry>& PolicySchema();

// The entry with exactly this pattern, or nullptr.
const SchemaEntry* FindSchemaEntry(std::string_view path);

// Entries for the fixed keys of the mapping `parent` ("" for the top level), in table order.
std::vector<const SchemaEntry*> SchemaChildren(std::string_view parent);

// The key an entry describes: "timeout" for "jobs.*.hooks.before[].timeout".
std::string_view SchemaKey(const SchemaEntry& entry);

// A short type name for documentation, e.g. "list of absolute paths".
std::string_view ValueKindName(ValueKind kind);

// A commented policy file using every key's example; loading it gives no diagnostics.
std::string GenerateSamplePolicy();

// The Markdown reference committed as docs/policy.md.
std::string GeneratePolicyDocs();

}  // namespace guestbackup::policy
