#include "cli/history_json.h"

#include "lean/base/time_format.h"

namespace guestbackup::cli {
namespace {

nlohmann::json FileErrorsJson(const std::vector<history::FileError>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors) out.push_back({{"path", e.path}, {"error", e.error}});
  return out;
}

// null when no shadow copy was asked for (every run off Windows).
nlohmann::json ShadowCopyJson(const std::string& shadow_copy) {
  return shadow_copy.empty() ? nlohmann::json() : nlohmann::json(shadow_copy);
}

}  // namespace

nlohmann::json RunRecordJson(const history::RunRecord& r) {
  nlohmann::json j = {
      {"id", r.id},
      {"job", r.job},
      {"trigger", r.trigger},
      {"status", contract::RunStatusName(r.status)},
      {"start", FormatRfc3339Utc(r.start_ms)},
      {"end", r.end_ms ? nlohmann::json(FormatRfc3339Utc(*r.end_ms)) : nlohmann::json()},
      {"snapshot_ids", r.snapshot_ids},
      {"files", r.files},
      {"bytes", r.bytes},
      {"errors", r.errors},
      {"file_errors", FileErrorsJson(r.file_errors)},
      {"message", r.message},
      {"shadow_copy", ShadowCopyJson(r.shadow_copy)},
      {"pid", r.process.pid}};
  return j;
}

nlohmann::json RunOutcomeJson(std::int64_t run_id, const std::string& job,
                              const history::RunOutcome& o) {
  return {{"id", run_id},
          {"job", job},
          {"status", contract::RunStatusName(o.status)},
          {"end", FormatRfc3339Utc(o.end_ms)},
          {"snapshot_ids", o.snapshot_ids},
          {"files", o.files},
          {"bytes", o.bytes},
          {"errors", o.errors},
          {"file_errors", FileErrorsJson(o.file_errors)},
          {"message", o.message},
          {"shadow_copy", ShadowCopyJson(o.shadow_copy)}};
}

}  // namespace guestbackup::cli
