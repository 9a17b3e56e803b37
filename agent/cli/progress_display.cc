#include "cli/progress_display.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "full/runner/run_summary.h"

namespace guestbackup::cli {

ProgressDisplay::ProgressDisplay(std::ostream& err, bool json_output)
    : err_(err),
      enabled_(!json_output && isatty(STDERR_FILENO) == 1 &&
               std::getenv("INVOCATION_ID") == nullptr &&
               std::getenv("JOURNAL_STREAM") == nullptr) {}

namespace {

// " (12.0 MB/s), 40%, ETA 12s": the rate once there is a meaningful interval, kopia's
// percentage and remaining time once it has estimated them.
std::string RateAndEta(std::int64_t bytes, double elapsed_seconds, double percent,
                       const std::string& remaining) {
  std::string text;
  if (elapsed_seconds > 0.5) {
    text += " (" +
            runner::HumanBytes(
                static_cast<std::int64_t>(static_cast<double>(bytes) / elapsed_seconds)) +
            "/s)";
  }
  if (percent >= 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", percent);
    text += ", " + std::string(pct);
    if (!remaining.empty()) text += ", ETA " + remaining;
  }
  return text;
}

}  // namespace

std::string ProgressDisplay::Format(const std::string& path, const kopia::SnapshotProgress& p,
                                    double elapsed_seconds) {
  const std::int64_t files = p.hashed_files + p.cached_files;
  const std::int64_t bytes =
      std::max<std::int64_t>(0, p.hashed_bytes) + std::max<std::int64_t>(0, p.cached_bytes);
  return path + ": " + runner::CountOf(files, "file") + ", " + runner::HumanBytes(bytes) +
         RateAndEta(bytes, elapsed_seconds, p.percent, p.remaining);
}

std::string ProgressDisplay::Format(const std::string& path, const kopia::RestoreProgress& p,
                                    double elapsed_seconds) {
  // kopia counts nothing as enqueued when the restored path is a single file.
  const bool totals_known = p.total_bytes >= p.done_bytes && p.total_bytes > 0;
  std::string line = "restoring " + path + ": ";
  if (totals_known) {
    line += std::to_string(p.done_files) + " of " + runner::CountOf(p.total_files, "file") + ", " +
            runner::HumanBytes(p.done_bytes) + " of " + runner::HumanBytes(p.total_bytes);
  } else {
    line += runner::CountOf(p.done_files, "file") + ", " + runner::HumanBytes(p.done_bytes);
  }
  return line + RateAndEta(p.done_bytes, elapsed_seconds, p.percent, p.remaining);
}

double ProgressDisplay::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressDisplay::Update(const std::string& path, const kopia::SnapshotProgress& progress) {
  if (enabled_) Show(Format(path, progress, Elapsed()));
}

void ProgressDisplay::Update(const std::string& path, const kopia::RestoreProgress& progress) {
  if (enabled_) Show(Format(path, progress, Elapsed()));
}

void ProgressDisplay::Show(std::string line) {
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  err_ << '\r' << line << std::flush;
}

void ProgressDisplay::Finish() {
  if (!enabled_ || last_width_ == 0) return;
  err_ << '\r' << std::string(last_width_, ' ') << '\r' << std::flush;
  last_width_ = 0;
}

}  // namespace guestbackup::cli
