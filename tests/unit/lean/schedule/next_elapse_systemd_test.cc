// The agreement tests: for a few hundred generated expressions, our next five elapses must be
// exactly what the real `systemd-analyze calendar --iterations=5` prints, in zones with and
// without DST and from base times next to DST changes, month ends and leap days; and for a few
// thousand typos of them (a differential fuzz with a fixed seed), we must accept exactly what
// systemd accepts, with the same elapses. Skipped where systemd-analyze is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lean/process/process.h"
#include "lean/schedule/calendar_spec.h"
#include "lean/schedule/elapse_report.h"
#include "scoped_tz.h"

namespace guestbackup::schedule {
namespace {

constexpr int kIterations = 5;

std::string FindSystemdAnalyze() {
  for (const char* path : {"/usr/bin/systemd-analyze", "/bin/systemd-analyze"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// A small linear congruential generator, so the expressions are the same on every platform.
class Lcg {
 public:
  Lcg() = default;
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  std::size_t Pick(std::size_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((state_ >> 33) % n);
  }

 private:
  std::uint64_t state_ = 20240331;
};

// Weekday, date, time and zone parts combined at random, then the shorthands and a few
// expressions picked for DST changes.
std::vector<std::string> GenerateExpressions(std::size_t random_count) {
  const std::vector<std::string> weekdays = {
      "", "", "", "Mon ", "Sat,Sun ", "Mon..Fri ", "Tue,Thu..Sat ", "Wed ", "Fri,Mon ", "Sun ",
  };
  const std::vector<std::string> dates = {
      "",
      "*-*-* ",
      "*-*-01 ",
      "*-*-1..7 ",
      "*-*-1/10 ",
      "*-02-29 ",
      "*-*~1 ",
      "*-*~1..3 ",
      "*-02~01 ",
      "*-*~7/2 ",
      "2024..2026-*-* ",
      "*-1,4,7,10-1 ",
      "*-*-31 ",
      "*-01..12/3-15 ",
      "2025-*-* ",
      "*-*-29..31 ",
      "24-3-31 ",
      "*-10,11-25..31 ",
      "*-03,10~1..7 ",
      "*-02-30 ",
      "2024-2-28/1 ",
  };
  const std::vector<std::string> times = {
      "",
      "00:00",
      "02:30",
      "*:0/15",
      "9:00",
      "8..18:00/30",
      "*:*:0/20",
      "23:59:59",
      "12:00:00.5",
      "1,3,5:17",
      "*:00",
      "2..3:15,45",
      "*:*:1.25/7.5",
      "0/6:00",
      "02,03:30:00",
      "01:30",
      "02:00",
      "2:59:59.999999",
      "*:59:30",
      "1..3:0/20:10",
      "0/2:00",
      "*:*:59.75",
      "*:05,35",
      "03:00",
      "22..23,0..4:00",
  };
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& expr) {
    if (seen.insert(expr).second) out.push_back(expr);
  };
  Lcg lcg;
  while (out.size() < random_count) {
    std::string expr = weekdays[lcg.Pick(weekdays.size())] + dates[lcg.Pick(dates.size())] +
                       times[lcg.Pick(times.size())];
    while (!expr.empty() && expr.back() == ' ') expr.pop_back();
    if (expr.empty()) continue;
    if (lcg.Pick(5) == 0) expr += " UTC";
    add(expr);
  }
  for (const char* shorthand : {"minutely", "hourly", "daily", "weekly", "monthly", "yearly",
                                "quarterly", "semiannually", "daily UTC", "weekly UTC"}) {
    add(shorthand);
  }
  for (const char* picked :
       {"*-*-* 02:00..59:00", "*-*-* 01..03:*:00", "*-*-* *:*:0/15", "Sun *-*-* 02:30",
        "Sun *-*-* 01:30", "*-*-* 02:30:00.000001", "2199-12-31 23:59:59", "*-*-* 00:00:00 UTC"}) {
    add(picked);
  }
  return out;
}

struct Scenario {
  const char* zone;
  std::int64_t base_us;
  const char* why;
};

constexpr Scenario kScenarios[] = {
    {"Europe/Berlin", 1711837033250000, "2024-03-30 23:17 CET, before the spring-forward"},
    {"Europe/Berlin", 1729986000000000, "2024-10-27 01:40 CEST, before the fall-back"},
    {"Europe/Berlin", 1729988400000000, "2024-10-27 02:20 CEST, inside the repeated hour"},
    {"Europe/Berlin", 1774738800000000, "2026-03-29 00:00 CET, the next spring-forward"},
    {"Europe/Berlin", 1709035200000000, "2024-02-27 13:00 CET, before a leap day"},
    {"America/New_York", 1710048600500000, "2024-03-10 00:30 EST, before the spring-forward"},
    {"America/New_York", 1730609100000000, "2024-11-03 00:45 EDT, before the fall-back"},
    {"America/New_York", 1730610600000000, "2024-11-03 01:10 EDT, inside the repeated hour"},
    {"America/New_York", 1767221999999999, "2025-12-31 17:59 EST, before a year's end"},
    // A half-hour DST shift: 02:00 becomes 01:30 in April, 02:00 becomes 02:30 in October.
    {"Australia/Lord_Howe", 1712412000000000, "2024-04-07 01:00 +11, before the fall-back"},
    {"Australia/Lord_Howe", 1728138600000000, "2024-10-06 01:00 +1030, before the spring"},
    // Irish standard time is the summer one: tzdata gives winter a negative DST offset.
    {"Europe/Dublin", 1743285600000000, "2025-03-29 22:00 GMT, before the spring-forward"},
    {"Europe/Dublin", 1761435000000000, "2025-10-26 00:30 IST, before the fall-back"},
    // 02:45 becomes 03:45 on the Chatham Islands.
    {"Pacific/Chatham", 1727528400000000, "2024-09-29 01:45 +1245, before the spring"},
    {"UTC", 1686816000123456, "2023-06-15 08:00:00.123456 UTC"},
    {"UTC", 1709035200000000, "2024-02-27 12:00 UTC, before a leap day"},
};

// The report without its "From now" lines, which systemd measures from the real clock.
std::string WithoutRelativeLines(const std::string& report) {
  std::istringstream in(report);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    if (line.find("From now: ") == std::string::npos) out += line + "\n";
  }
  return out;
}

// What one systemd-analyze run printed: a report per expression it could compute, keyed by
// the expression, and its error output.
struct SystemdRun {
  std::map<std::string, std::string> reports;
  std::string errors;
};

SystemdRun RunSystemdAnalyze(const std::string& tool, const std::vector<std::string>& exprs,
                             const Scenario& scenario, int iterations) {
  process::ProcessSpec spec;
  spec.argv = {tool, "calendar", "--iterations=" + std::to_string(iterations),
               "--base-time=@" + std::to_string(scenario.base_us / 1'000'000) + "." +
                   std::to_string(1'000'000 + scenario.base_us % 1'000'000).substr(1)};
  spec.argv.push_back("--");  // a typo may start with "-"
  spec.argv.insert(spec.argv.end(), exprs.begin(), exprs.end());
  spec.extra_env = {{"TZ", scenario.zone}, {"LC_ALL", "C"}, {"SYSTEMD_COLORS", "0"}};
  spec.stdout_limit = 16 << 20;
  spec.stderr_limit = 16 << 20;  // a refusal is a line of stderr each
  spec.timeout = std::chrono::seconds(60);
  auto result = process::Run(spec);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  SystemdRun run;
  if (!result.ok()) return run;
  EXPECT_TRUE(result->exited) << result->Describe();
  run.errors = result->stderr_data;
  // Reports are separated by blank lines. One starts with "Original form" unless the
  // expression is its own normalized form.
  const std::string& text = result->stdout_data;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\n') {  // an expression that printed nothing
      ++at;
      continue;
    }
    std::size_t end = text.find("\n\n", at);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string block = text.substr(at, end - at);
    at = end + 1;
    for (const std::string marker : {"  Original form: ", "Normalized form: "}) {
      if (block.starts_with(marker)) {
        run.reports[block.substr(marker.size(), block.find('\n') - marker.size())] =
            WithoutRelativeLines(block);
        break;
      }
    }
  }
  return run;
}

struct Tally {
  int compared = 0;
  int agreed = 0;
  int systemd_gave_up = 0;     // systemd stopped with "Infinite loop in calendar calculation"
  int systemd_found_none = 0;  // … before its first elapse: nothing of its to compare
};

void Compare(const std::string& expr, const std::string& theirs, const std::string& ours,
             const Scenario& scenario, Tally& tally) {
  ++tally.compared;
  if (ours == theirs) {
    ++tally.agreed;
    return;
  }
  ADD_FAILURE() << "'" << expr << "' in " << scenario.zone << " from " << scenario.why
                << "\nsystemd-analyze:\n"
                << theirs << "ours:\n"
                << ours;
}

// systemd gives up on a few expressions next to odd DST changes (Pacific/Chatham), and then
// prints no report at all. Compare the elapses it does find before that, and check that we
// go on where it stopped. Where it finds none (systemd 252.38: 'Sun *-*-29..31
// 2:59:59.999999' from the hour before Chatham's spring change), there is nothing to compare.
void CompareWhereSystemdGivesUp(const std::string& tool, const std::string& expr,
                                const CalendarSpec& spec, const Scenario& scenario,
                                const std::string& errors, Tally& tally) {
  ASSERT_NE(errors.find("Failed to determine next elapse for '" + expr + "'"), std::string::npos)
      << "systemd-analyze printed nothing for '" << expr << "':\n"
      << errors;
  ++tally.systemd_gave_up;
  bool compared = false;
  for (int found = kIterations - 1; found > 0 && !compared; --found) {
    const SystemdRun run = RunSystemdAnalyze(tool, {expr}, scenario, found);
    if (const auto it = run.reports.find(expr); it != run.reports.end()) {
      Compare(expr, it->second,
              WithoutRelativeLines(FormatElapseReport(expr, spec, scenario.base_us, found)),
              scenario, tally);
      compared = true;
    }
  }
  if (!compared) {
    ++tally.systemd_found_none;
    std::cout << "systemd-analyze finds no elapse at all for '" << expr << "' in " << scenario.zone
              << " from " << scenario.why << "; we find:\n"
              << FormatElapseReport(expr, spec, scenario.base_us, 1);
  }
  EXPECT_EQ(NextElapses(spec, scenario.base_us, kIterations).size(), std::size_t{kIterations})
      << "'" << expr << "' in " << scenario.zone << " from " << scenario.why;
}

// Our report for `expr` against the one systemd printed in `theirs`, or against the elapses
// it found before giving up when it printed none.
void CompareWithSystemd(const std::string& tool, const std::string& expr, const CalendarSpec& spec,
                        const Scenario& scenario, const SystemdRun& theirs, Tally& tally) {
  const auto it = theirs.reports.find(expr);
  if (it == theirs.reports.end()) {
    CompareWhereSystemdGivesUp(tool, expr, spec, scenario, theirs.errors, tally);
    return;
  }
  Compare(expr, it->second,
          WithoutRelativeLines(FormatElapseReport(expr, spec, scenario.base_us, kIterations)),
          scenario, tally);
}

TEST(NextElapseSystemd, AgreesWithSystemdAnalyzeOnGeneratedExpressions) {
  const std::string tool = FindSystemdAnalyze();
  if (tool.empty()) GTEST_SKIP() << "systemd-analyze is not installed";
  const std::vector<std::string> exprs = GenerateExpressions(240);
  ASSERT_GE(exprs.size(), 250u);

  Tally tally;
  for (const Scenario& scenario : kScenarios) {
    const SystemdRun theirs = RunSystemdAnalyze(tool, exprs, scenario, kIterations);
    const ScopedTz tz(scenario.zone);
    for (const std::string& expr : exprs) {
      const CalendarResult spec = ParseCalendar(expr, LocalCalendarParseOptions());
      ASSERT_TRUE(spec.ok()) << expr << ": " << spec.error().message;
      CompareWithSystemd(tool, expr, *spec, scenario, theirs, tally);
    }
  }
  std::cout << "systemd-analyze agreement: " << tally.agreed << "/" << tally.compared << " ("
            << exprs.size() << " expressions x " << std::size(kScenarios)
            << " zone/base times, up to " << kIterations << " elapses each; systemd gave up on "
            << tally.systemd_gave_up << ", where we compared the elapses it found first, "
            << tally.systemd_found_none << " of them before its first)\n";
  EXPECT_EQ(tally.agreed, tally.compared);
  EXPECT_EQ(tally.compared + tally.systemd_found_none,
            static_cast<int>(exprs.size() * std::size(kScenarios)));
}

// Typos of the generated expressions, as a hurried user makes them: one to three edits each (a
// character inserted, deleted or replaced, from the calendar syntax's own characters and a few
// of its words' letters), so most are near misses of valid expressions. The seed is fixed, so a
// run is repeatable; GUESTBACKUP_CALENDAR_FUZZ_SEED and _COUNT try others by hand.
std::vector<std::string> MutatedExpressions(std::uint64_t seed, std::size_t count) {
  const std::vector<std::string> seeds = GenerateExpressions(120);
  const std::string alphabet = "0123456789*-~:,./ ..,,~~MTWFSonuedhlyUC";
  Lcg lcg(seed);
  std::vector<std::string> out;
  std::set<std::string> seen;
  while (out.size() < count) {
    std::string expr = seeds[lcg.Pick(seeds.size())];
    for (std::size_t edits = 1 + lcg.Pick(3); edits > 0; --edits) {
      const std::size_t at = lcg.Pick(expr.size() + 1);
      const char c = alphabet[lcg.Pick(alphabet.size())];
      switch (lcg.Pick(3)) {
        case 0:
          expr.insert(expr.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 1:
          if (at < expr.size()) expr.erase(at, 1);
          break;
        default:
          if (at < expr.size()) expr[at] = c;
          break;
      }
    }
    if (seen.insert(expr).second) out.push_back(expr);
  }
  return out;
}

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr || *text == '\0' ? fallback : std::strtoull(text, nullptr, 10);
}

TEST(NextElapseSystemd, AcceptsWhatSystemdAcceptsAmongTypos) {
  const std::string tool = FindSystemdAnalyze();
  if (tool.empty()) GTEST_SKIP() << "systemd-analyze is not installed";
  const std::uint64_t seed = EnvNumber("GUESTBACKUP_CALENDAR_FUZZ_SEED", 20261207);
  const std::vector<std::string> exprs =
      MutatedExpressions(seed, EnvNumber("GUESTBACKUP_CALENDAR_FUZZ_COUNT", 3000));
  const Scenario scenario = {"UTC", 1709035200000000, "2024-02-27 12:00 UTC"};
  const SystemdRun theirs = RunSystemdAnalyze(tool, exprs, scenario, kIterations);
  const ScopedTz tz(scenario.zone);

  int both_accept = 0;
  int both_refuse = 0;
  int zones_we_do_not_take = 0;
  Tally tally;
  for (const std::string& expr : exprs) {
    const bool systemd_refuses = theirs.errors.find("Failed to parse calendar specification '" +
                                                    expr + "'") != std::string::npos;
    const CalendarResult ours = ParseCalendar(expr, LocalCalendarParseOptions());
    if (systemd_refuses) {
      EXPECT_FALSE(ours.ok()) << "'" << expr << "' (seed " << seed << ") accepted as '"
                              << ours->Normalized() << "', but systemd refuses it";
      ++both_refuse;
      continue;
    }
    if (!ours.ok() && ours.error().message.starts_with("unsupported time zone")) {
      ++zones_we_do_not_take;  // a word that happens to name a zone in tzdata: documented
      continue;
    }
    EXPECT_TRUE(ours.ok()) << "'" << expr << "' (seed " << seed
                           << ") refused, but systemd accepts it: " << ours.error().message;
    if (!ours.ok()) continue;
    ++both_accept;
    CompareWithSystemd(tool, expr, *ours, scenario, theirs, tally);
  }
  std::cout << "differential fuzz (seed " << seed << "): " << exprs.size() << " typos; both refuse "
            << both_refuse << ", both accept " << both_accept << " (elapses agree on "
            << tally.agreed << "/" << tally.compared << "), zones we do not take "
            << zones_we_do_not_take << "\n";
  EXPECT_EQ(tally.agreed, tally.compared);
  // Most typos are refused (93 % with the fixed seed); a share must still be valid, or the
  // test compares no elapses.
  EXPECT_GE(both_accept, static_cast<int>(exprs.size() / 20));
}

}  // namespace
}  // namespace guestbackup::schedule
