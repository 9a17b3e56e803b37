#include "full/runner/run_summary.h"

#include <algorithm>
#include <cstdio>

#include "lean/base/time_format.h"

namespace guestbackup::runner {

using contract::RunStatus;

std::string HumanBytes(std::int64_t bytes) {
  static const char* kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  auto v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1000.0 && unit < 5) {
    v /= 1000.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  }
  return buf;
}

std::string CountOf(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void RunSummary::AddSnapshot(const std::string& path, const kopia::SnapshotOutcome& outcome) {
  if (outcome.manifest) {
    const kopia::SnapshotManifest& m = *outcome.manifest;
    snapshot_ids_.push_back(m.id);
    files_ += m.root_files;
    bytes_ += m.root_size;
    errors_ += std::max<std::int64_t>(m.num_failed, m.error_count);
    for (const auto& e : m.errors) {
      if (file_errors_.size() >= 100) break;
      file_errors_.push_back({path + "/" + e.path, e.error});
    }
  }
  ++snapshots_;
  if (const kopia::ShadowCopyReport& copy = outcome.shadow_copy; copy.used) {
    ++shadow_copies_used_;
  } else if (!copy.fell_back.empty()) {
    warnings_.push_back(Failed(path + " was read live, without a shadow copy: " + copy.fell_back));
  }
  switch (outcome.kind) {
    case kopia::SnapshotResultKind::kSucceeded:
      break;
    case kopia::SnapshotResultKind::kPartial:
      partial_ = true;
      if (!outcome.error.ok()) warnings_.push_back(outcome.error);
      break;
    case kopia::SnapshotResultKind::kFailed:
      failures_.push_back(outcome.error.ok() ? Failed("snapshot of " + path + " failed")
                                             : outcome.error);
      break;
  }
}

void RunSummary::Fail(const Status& failure) {
  if (!failure.ok()) failures_.push_back(failure);
}

RunStatus RunSummary::CurrentStatus() const {
  for (const auto& f : failures_) {
    if (f.code() == StatusCode::kInterrupted) return RunStatus::kInterrupted;
  }
  // Failures that only say "not now" (the job's lock is held, or another tool holds the guest
  // frozen) make the run skipped, not failed.
  if (!failures_.empty() && std::all_of(failures_.begin(), failures_.end(), [](const Status& f) {
        return f.code() == StatusCode::kAlreadyRunning;
      })) {
    return RunStatus::kSkipped;
  }
  if (!failures_.empty()) return RunStatus::kFailed;
  if (partial_) return RunStatus::kPartial;
  return RunStatus::kSucceeded;
}

Status RunSummary::FinalStatus() const {
  switch (CurrentStatus()) {
    case RunStatus::kSucceeded:
      return Status::Ok();
    case RunStatus::kPartial:
      return {StatusCode::kPartial, Message()};
    case RunStatus::kInterrupted:
      return Interrupted(Message());
    case RunStatus::kSkipped:
      return AlreadyRunning(Message());
    default:
      break;
  }
  // The most specific cause decides the exit code: unreachable/auth beats generic failure.
  for (const auto& f : failures_) {
    if (f.code() == StatusCode::kUnavailable) return {StatusCode::kUnavailable, Message()};
  }
  for (const auto& f : failures_) {
    if (f.code() == StatusCode::kPermissionDenied) return {f.code(), Message()};
  }
  return Failed(Message());
}

std::string RunSummary::Message() const {
  std::string msg;
  if (!snapshot_ids_.empty()) {
    msg = CountOf(static_cast<std::int64_t>(snapshot_ids_.size()), "snapshot") + ", " +
          CountOf(files_, "file") + ", " + HumanBytes(bytes_);
  }
  if (!file_errors_.empty()) {
    msg += (msg.empty() ? "" : "; ") + std::to_string(errors_) +
           (errors_ == 1 ? " file failed: " : " files failed, first: ") +
           file_errors_.front().path + " (" + file_errors_.front().error + ")";
  }
  for (const auto& f : failures_) msg += (msg.empty() ? "" : "; ") + f.message();
  for (const auto& w : warnings_) msg += (msg.empty() ? "" : "; ") + w.message();
  if (retries_ > 0) {
    msg += (msg.empty() ? "" : "; ") + std::string("retried ") + CountOf(retries_, "time") +
           " while the server was unreachable";
  }
  return msg;
}

history::RunOutcome RunSummary::Finish(RunStatus status, const std::string& message) const {
  history::RunOutcome o;
  o.status = status;
  o.end_ms = NowUnixMs();
  o.snapshot_ids = snapshot_ids_;
  o.files = files_;
  o.bytes = bytes_;
  o.errors = errors_;
  o.file_errors = file_errors_;
  o.message = message.empty() ? Message() : message;
  // Asked for and none used covers a run that failed before any snapshot, and kopia failing
  // before it said anything about a copy.
  if (!shadow_copy_asked_) {
    o.shadow_copy = history::kShadowCopyNotAsked;
  } else if (shadow_copies_used_ == 0) {
    o.shadow_copy = history::kShadowCopyUnavailable;
  } else {
    o.shadow_copy =
        shadow_copies_used_ == snapshots_ ? history::kShadowCopyUsed : history::kShadowCopyPartly;
  }
  return o;
}

}  // namespace guestbackup::runner
