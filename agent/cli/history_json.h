// JSON and one-line text forms of history rows, shared by run, history and status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "full/history/history.h"

namespace guestbackup::cli {

nlohmann::json RunRecordJson(const history::RunRecord& record);
nlohmann::json RunOutcomeJson(std::int64_t run_id, const std::string& job,
                              const history::RunOutcome& outcome);

}  // namespace guestbackup::cli
