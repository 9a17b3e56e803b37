// A state directory with a policy of ten daily jobs and a history of N finished runs spread
// over them, written in one transaction straight through SQLite (a million rows in seconds),
// into the schema HistoryDb itself created.
#pragma once

#include <cstdint>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::bench {

inline constexpr int kHistoryJobs = 10;

struct HistoryFixture {
  std::string dir;          // removed by the caller
  std::string policy_path;  // <dir>/policy.yaml, state_dir <dir>/state
  std::string history_path;
};

// Rows start an hour apart, ending an hour ago; every 50th failed, the rest succeeded.
Result<HistoryFixture> MakeHistoryFixture(const std::string& parent, std::int64_t rows);

}  // namespace guestbackup::bench
