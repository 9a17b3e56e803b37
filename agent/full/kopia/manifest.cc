#include "full/kopia/manifest.h"

#include <nlohmann/json.hpp>

#include "lean/base/time_format.h"

namespace guestbackup::kopia {
namespace {

using nlohmann::json;

std::int64_t Int(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t Time(const json& j, const char* key) {
  const auto parsed = ParseRfc3339(Str(j, key));
  return parsed.ok() ? *parsed : 0;
}

Result<SnapshotManifest> FromJson(const json& j) {
  if (!j.is_object()) return Failed("kopia manifest is not a JSON object");
  SnapshotManifest m;
  m.id = Str(j, "id");
  if (m.id.empty()) return Failed("kopia manifest has no id");
  if (const auto src = j.find("source"); src != j.end() && src->is_object()) {
    m.source = {Str(*src, "host"), Str(*src, "userName"), Str(*src, "path")};
  }
  m.description = Str(j, "description");
  m.start_ms = Time(j, "startTime");
  m.end_ms = Time(j, "endTime");
  m.incomplete_reason = Str(j, "incomplete");
  if (const auto st = j.find("stats"); st != j.end() && st->is_object()) {
    m.total_size = Int(*st, "totalSize");
    m.file_count = Int(*st, "fileCount");
    m.cached_files = Int(*st, "cachedFiles");
    m.non_cached_files = Int(*st, "nonCachedFiles");
    m.dir_count = Int(*st, "dirCount");
    m.error_count = Int(*st, "errorCount");
    m.ignored_error_count = Int(*st, "ignoredErrorCount");
  }
  if (const auto root = j.find("rootEntry"); root != j.end() && root->is_object()) {
    m.root_object_id = Str(*root, "obj");
    if (const auto summ = root->find("summ"); summ != root->end() && summ->is_object()) {
      m.root_size = Int(*summ, "size");
      m.root_files = Int(*summ, "files");
      m.root_dirs = Int(*summ, "dirs");
      m.num_failed = Int(*summ, "numFailed");
      if (const auto errs = summ->find("errors"); errs != summ->end() && errs->is_array()) {
        for (const auto& e : *errs) m.errors.push_back({Str(e, "path"), Str(e, "error")});
      }
    }
  }
  if (const auto tags = j.find("tags"); tags != j.end() && tags->is_object()) {
    for (const auto& [k, v] : tags->items()) {
      if (v.is_string()) m.tags[k] = v.get<std::string>();
    }
  }
  if (const auto rr = j.find("retentionReason"); rr != j.end() && rr->is_array()) {
    for (const auto& r : *rr) {
      if (r.is_string()) m.retention_reasons.push_back(r.get<std::string>());
    }
  }
  return m;
}

}  // namespace

std::string TagValue(const SnapshotManifest& manifest, std::string_view key) {
  const auto it = manifest.tags.find("tag:" + std::string(key));
  return it == manifest.tags.end() ? "" : it->second;
}

Result<SnapshotManifest> ParseManifest(std::string_view json_text) {
  const json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Failed("kopia printed invalid JSON for a snapshot manifest");
  return FromJson(j);
}

Result<std::vector<SnapshotManifest>> ParseManifestList(std::string_view json_text) {
  const json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return Failed("kopia printed invalid JSON for a snapshot list");
  }
  std::vector<SnapshotManifest> out;
  out.reserve(j.size());
  for (const auto& item : j) {
    auto m = FromJson(item);
    if (!m.ok()) return m.status();
    out.push_back(std::move(m).value());
  }
  return out;
}

}  // namespace guestbackup::kopia
