// Fuzzes the calendar parser (ParseCalendar, systemd's OnCalendar syntax) and, for every
// expression it accepts, the next-elapse search from two instants next to DST changes, in a
// zone with DST (Europe/Berlin, whose names CET and CEST an expression may use). Beyond no
// crash: an error points inside the expression; an accepted spec's normalized form parses, to
// the same normalized form (not always to an equal spec: as systemd 252 does, a seconds list
// holding every whole second is written "*", so "0/1,0.5" normalizes to "*"); a next elapse is
// later than the instant searched from and before the end of kMaxCalendarYear.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "lean/schedule/calendar_spec.h"
#include "lean/schedule/next_elapse.h"

namespace schedule = guestbackup::schedule;

namespace {

schedule::CalendarParseOptions options;

// 2024-03-31 00:30 UTC and 2024-10-27 00:30 UTC: half an hour before Berlin's clocks go
// forward and back.
constexpr std::int64_t kStartsUs[] = {1'711'845'000'000'000, 1'729'989'000'000'000};
// 2200-01-02 00:00 UTC: a day's margin past the last year for any zone offset.
constexpr std::int64_t kAfterLastYearUs = 7'258'204'800'000'000;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  setenv("TZ", "Europe/Berlin", 1);
  options = schedule::LocalCalendarParseOptions();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const schedule::CalendarResult parsed = schedule::ParseCalendar(text, options);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().offset <= text.size());
    return 0;
  }
  const std::string normalized = parsed->Normalized();
  const schedule::CalendarResult again = schedule::ParseCalendar(normalized, options);
  if (!again.ok()) {
    std::fprintf(stderr, "normalized \"%s\" refused: %s\n", normalized.c_str(),
                 again.error().message.c_str());
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->Normalized() == normalized);

  for (const std::int64_t start : kStartsUs) {
    const std::optional<std::int64_t> next = schedule::NextElapseUs(*parsed, start);
    if (!next) continue;
    FUZZ_CHECK(*next > start);
    FUZZ_CHECK(*next < kAfterLastYearUs);
  }
  return 0;
}
