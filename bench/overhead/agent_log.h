// Reads the kopia children out of `guestbackup --log-level debug` stderr: the process module
// logs "starting: <command>" and "pid N ended after M ms: ..." with millisecond timestamps,
// which is enough to split an agent run into its own time and kopia's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::bench {

struct ChildRecord {
  std::string label;               // "snapshot create", "policy show", "repository connect" ...
  std::int64_t start_unix_ms = 0;  // timestamp of the "starting" line
  std::int64_t end_unix_ms = 0;    // timestamp of the "ended" line
  std::int64_t duration_ms = 0;    // as the agent measured it
};

struct AgentLog {
  std::optional<std::int64_t> first_unix_ms;  // first log line
  std::optional<std::int64_t> last_unix_ms;   // last log line
  std::vector<ChildRecord> children;          // in start order; unfinished ones are dropped
};

// Lines that do not look like the agent's plain-text log format are skipped.
AgentLog ParseAgentLog(std::string_view stderr_text);

// Sum of the durations of the children whose label is `label` ("" = all).
std::int64_t ChildMs(const AgentLog& log, std::string_view label);

}  // namespace guestbackup::bench
