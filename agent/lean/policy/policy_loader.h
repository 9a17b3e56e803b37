// Loading the policy file: YAML with line/column marks, checked against the schema table
// (policy_schema.h), defaults applied, every error collected and reported at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lean/policy/policy.h"

namespace guestbackup::policy {

struct Diagnostic {
  std::string file;      // as given by the caller, e.g. "policy.yaml"
  int line = 0;          // 1-based
  int column = 0;        // 1-based
  std::string key_path;  // "jobs.etc.schedule"; "" for YAML syntax errors
  std::string message;   // "unknown weekday \"Mnd\""
  // The offending line without its newline — or, for a long line, at most kShownColumns of it
  // around the column, "..." marking what was cut; control characters shown as '?'.
  std::string source_line;
  int source_column = 0;  // the column within source_line (1-based); 0: the same as column
  // The file does not look like a policy (it may be a secret given by mistake): no line of it
  // is shown.
  bool source_hidden = false;
};

// How much of a long line a diagnostic shows, and how many diagnostics one load keeps.
inline constexpr std::size_t kShownColumns = 200;
inline constexpr std::size_t kMaxDiagnostics = 50;
// The largest policy file read, and the most values (scalars, after aliases are expanded) and
// nesting levels one may hold: far above any real policy, far below what hurts the machine.
inline constexpr std::size_t kMaxPolicyBytes = std::size_t{4} << 20;
inline constexpr std::size_t kMaxPolicyValues = 250'000;
inline constexpr int kMaxPolicyDepth = 32;

// "policy.yaml:12:5: jobs.etc.schedule: unknown weekday \"Mnd\"" followed by the source line
// and a caret under column 5.
std::string FormatDiagnostic(const Diagnostic& d);

struct LoadResult {
  std::optional<Policy> policy;         // set only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;  // in file order, at most kMaxDiagnostics
  std::size_t more = 0;                 // diagnostics found beyond those
};

// Every diagnostic formatted, one per line, then "... and N more errors" when some were left
// out; no trailing newline.
std::string FormatDiagnostics(const LoadResult& result);

struct LoadOptions {
  // Also check the files the policy names (password file, CA bundles, kopia) as this machine
  // has them: `guestbackup policy check` does, a run does not (the files may come later).
  bool check_local_files = false;
};

// `display_name` is what messages call the file.
LoadResult LoadPolicyText(std::string_view text, std::string_view display_name,
                          const LoadOptions& options = {});
// Reads and loads the file; a file that cannot be read yields one diagnostic at 0:0. With
// `text`, the bytes read are kept there: what was checked is exactly what a caller may copy.
LoadResult LoadPolicyFile(const std::string& path, std::string* text = nullptr,
                          const LoadOptions& options = {});

}  // namespace guestbackup::policy
