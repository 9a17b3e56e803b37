// Kopia's snapshot manifest as `snapshot create --json --json-verbose` and `snapshot list
// --json` print it (kopia v0.23.1, cli/json_output.go and snapshot/manifest.go): the fields
// the agent reads, parsed from JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::kopia {

struct SourceInfo {
  std::string host;
  std::string user_name;
  std::string path;
};

struct EntryError {
  std::string path;  // relative to the source root
  std::string error;
};

struct SnapshotManifest {
  std::string id;
  SourceInfo source;
  std::string description;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string incomplete_reason;  // "" when the snapshot is complete
  // stats (present with --json-verbose and in snapshot list)
  std::int64_t total_size = 0;
  std::int64_t file_count = 0;  // files hashed (not cached)
  std::int64_t cached_files = 0;
  std::int64_t non_cached_files = 0;
  std::int64_t dir_count = 0;
  std::int64_t error_count = 0;  // fatal errors
  std::int64_t ignored_error_count = 0;
  // rootEntry
  std::string root_object_id;
  std::int64_t root_size = 0;
  std::int64_t root_files = 0;
  std::int64_t root_dirs = 0;
  std::int64_t num_failed = 0;     // rootEntry.summ.numFailed
  std::vector<EntryError> errors;  // rootEntry.summ.errors
  std::map<std::string, std::string> tags;
  std::vector<std::string> retention_reasons;

  // Files in the snapshot (hashed or cached).
  std::int64_t TotalFiles() const { return root_files; }
};

// The value given at creation as `--tags key:value` ("" when absent): kopia keeps it under
// "tag:<key>".
std::string TagValue(const SnapshotManifest& manifest, std::string_view key);

// Parses one manifest object. kFailed with the JSON error on malformed input.
Result<SnapshotManifest> ParseManifest(std::string_view json_text);
// Parses a JSON array of manifests (`snapshot list --json`).
Result<std::vector<SnapshotManifest>> ParseManifestList(std::string_view json_text);

}  // namespace guestbackup::kopia
