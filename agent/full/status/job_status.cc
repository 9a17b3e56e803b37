#include "full/status/job_status.h"

#include <algorithm>

#include "lean/schedule/calendar_spec.h"
#include "lean/schedule/due_times.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::status {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
// Far enough back to find two elapses of a yearly schedule (or one on 29 February).
constexpr std::int64_t kMaxLookBackMs = 9LL * 366 * 24 * 3600 * 1000;

struct RecentDues {
  std::int64_t last = 0;      // newest elapse <= now
  std::int64_t previous = 0;  // the elapse before it
};

// The two newest elapses at or before `now_ms`. Looks back a window that starts at about one
// period and doubles, then walks forward, so a schedule costs a handful of NextElapseMs calls.
std::optional<RecentDues> FindRecentDues(const schedule::CalendarSpec& spec, std::int64_t now_ms,
                                         std::int64_t period_guess_ms) {
  for (std::int64_t window = std::max(period_guess_ms, kMinuteMs); window <= 2 * kMaxLookBackMs;
       window *= 2) {
    const std::optional<std::int64_t> first = schedule::NextElapseMs(spec, now_ms - window);
    if (!first || *first > now_ms) continue;
    const std::optional<std::int64_t> second = schedule::NextElapseMs(spec, *first);
    if (!second || *second > now_ms) continue;
    RecentDues dues{*second, *first};
    for (;;) {
      const std::optional<std::int64_t> next = schedule::NextElapseMs(spec, dues.last);
      if (!next || *next > now_ms) return dues;
      dues = {*next, dues.last};
    }
  }
  return std::nullopt;
}

}  // namespace

JobTiming ComputeJobTiming(const policy::JobSpec& job, const JobTimingInput& input) {
  JobTiming timing;
  timing.manual = true;
  if (job.schedule.empty()) return timing;
  const schedule::CalendarResult spec = schedule::ParseCalendar(job.schedule);
  if (!spec.ok()) return timing;
  timing.manual = false;
  const std::int64_t jitter_ms =
      schedule::JitterFor(input.machine_id, job.name, job.randomized_delay).count();
  // A run due at e starts at e + jitter, so one due before now may still be waiting.
  timing.next_run_ms = schedule::NextDueMs(*spec, jitter_ms, input.now_ms);

  std::int64_t period_guess = kMinuteMs;
  if (const std::optional<std::int64_t> a = schedule::NextElapseMs(*spec, input.now_ms)) {
    if (const std::optional<std::int64_t> b = schedule::NextElapseMs(*spec, *a)) {
      period_guess = *b - *a;
    }
  }
  const std::optional<RecentDues> dues = FindRecentDues(*spec, input.now_ms, period_guess);
  if (!dues) return timing;
  timing.last_due_ms = dues->last;
  timing.period_ms = dues->last - dues->previous;
  const std::optional<std::int64_t> reference =
      input.last_success_ms ? input.last_success_ms : input.known_since_ms;
  timing.overdue = reference && *reference < dues->previous;
  return timing;
}

}  // namespace guestbackup::status
