// The OnCalendar parser: "[weekdays] [date] [time] [zone]" or a shorthand such as "daily".
// It accepts exactly what systemd accepts (except other zones and "@epoch"), normalizes the
// same way, and explains a refusal with the offset of the offending character.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}
bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsNoCase(s.substr(0, prefix.size()), prefix);
}
bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsNoCase(s.substr(s.size() - suffix.size()), suffix);
}

// Full names come first so that "Monday" is not read as "Mon" followed by "day".
struct WeekdayName {
  std::string_view name;
  int number;  // 0 = Monday
};
constexpr WeekdayName kWeekdays[] = {
    {"Monday", 0},   {"Mon", 0},      {"Tuesday", 1}, {"Tue", 1},    {"Wednesday", 2},
    {"Wed", 2},      {"Thursday", 3}, {"Thu", 3},     {"Friday", 4}, {"Fri", 4},
    {"Saturday", 5}, {"Sat", 5},      {"Sunday", 6},  {"Sun", 6},
};

const WeekdayName* MatchWeekday(std::string_view s) {
  for (const WeekdayName& w : kWeekdays) {
    if (StartsWithNoCase(s, w.name)) return &w;
  }
  return nullptr;
}

CalendarComponent Value(int v) { return {v, -1, 0}; }
CalendarChain Values(std::initializer_list<int> values) {
  CalendarChain chain;
  for (int v : values) chain.push_back(Value(v));
  return chain;
}

// Applies a shorthand ("daily") to `spec`; false when `text` is not one.
bool ApplyShorthand(std::string_view text, CalendarSpec& spec) {
  auto midnight = [&spec] {
    spec.hour = Values({0});
    spec.minute = Values({0});
    spec.second_micros = Values({0});
  };
  auto is = [text](std::initializer_list<std::string_view> names) {
    return std::any_of(names.begin(), names.end(),
                       [text](std::string_view n) { return EqualsNoCase(text, n); });
  };
  if (is({"minutely"})) {
    spec.second_micros = Values({0});
  } else if (is({"hourly"})) {
    spec.minute = Values({0});
    spec.second_micros = Values({0});
  } else if (is({"daily"})) {
    midnight();
  } else if (is({"monthly"})) {
    spec.day = Values({1});
    midnight();
  } else if (is({"weekly"})) {
    spec.weekdays = 1;  // Monday
    midnight();
  } else if (is({"yearly", "annually", "anually"})) {
    spec.month = Values({1});
    spec.day = Values({1});
    midnight();
  } else if (is({"quarterly"})) {
    spec.month = Values({1, 4, 7, 10});
    spec.day = Values({1});
    midnight();
  } else if (is({"semiannually", "semi-annually", "biannually", "bi-annually"})) {
    spec.month = Values({1, 7});
    spec.day = Values({1});
    midnight();
  } else {
    return false;
  }
  return true;
}

bool IsShorthand(std::string_view text) {
  CalendarSpec scratch;
  return ApplyShorthand(text, scratch);
}

// A chain element as written, kept while parsing so that range checks can quote it.
struct Element {
  CalendarComponent component;
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct Field {
  std::string_view name;
  int min;
  int max;
};
constexpr Field kYear = {"year", kMinCalendarYear, kMaxCalendarYear};
constexpr Field kMonth = {"month", 1, 12};
constexpr Field kDay = {"day", 1, 31};
constexpr Field kHour = {"hour", 0, 23};
constexpr Field kMinute = {"minute", 0, 59};
constexpr Field kSecond = {"second", 0, 60 * kMicrosPerSecond - 1};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  // Fills `spec` from the weekday, date and time parts; false with error() set on failure.
  bool Parse(CalendarSpec& spec) {
    std::vector<Element> year;
    std::vector<Element> month;
    std::vector<Element> day;
    std::vector<Element> hour;
    std::vector<Element> minute;
    std::vector<Element> second;
    if (!ParseWeekdays(spec) || !ParseDate(spec, year, month, day) ||
        !ParseTime(hour, minute, second)) {
      return false;
    }
    return Finish(year, kYear, false, spec.year) && Finish(month, kMonth, false, spec.month) &&
           Finish(day, kDay, spec.end_of_month, spec.day) &&
           Finish(hour, kHour, false, spec.hour) && Finish(minute, kMinute, false, spec.minute) &&
           Finish(second, kSecond, false, spec.second_micros);
  }

  const CalendarError& error() const { return error_; }

 private:
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  void SkipSpaces() {
    while (Peek() == ' ') ++pos_;
  }

  bool Fail(std::size_t offset, std::string message) {
    error_ = {offset, std::move(message)};
    return false;
  }
  // "unexpected "x"" or "unexpected end" for the character at pos_.
  bool FailUnexpected(std::string_view what) {
    if (AtEnd()) return Fail(pos_, "unexpected end of expression, expected " + std::string(what));
    return Fail(pos_,
                "unexpected \"" + std::string(1, Peek()) + "\", expected " + std::string(what));
  }

  std::string WordAt(std::size_t offset) const {
    std::size_t end = offset;
    while (end < s_.size() && IsAlpha(s_[end])) ++end;
    return std::string(s_.substr(offset, end - offset));
  }

  bool ParseWeekdays(CalendarSpec& spec) {
    if (!IsAlpha(Peek())) return true;  // no weekday part
    int range_start = -1;
    std::size_t range_offset = 0;
    for (;;) {
      const std::size_t word_offset = pos_;
      const WeekdayName* day = MatchWeekday(s_.substr(pos_));
      if (day == nullptr || IsAlpha(Peek(day->name.size()))) {
        if (!IsAlpha(Peek())) return FailUnexpected("a weekday");
        return Fail(word_offset, "unknown weekday \"" + WordAt(word_offset) + "\"");
      }
      pos_ += day->name.size();
      const char next = Peek();
      if (next != '\0' && next != '-' && next != '.' && next != ',' && next != ' ') {
        return FailUnexpected("\",\", \"..\" or a space after the weekday");
      }
      spec.weekdays |= static_cast<std::uint8_t>(1U << day->number);
      if (range_start >= 0) {
        if (range_start > day->number) {
          return Fail(range_offset, "weekday range \"" +
                                        std::string(s_.substr(range_offset, pos_ - range_offset)) +
                                        "\" goes backwards; weeks start on Monday");
        }
        for (int d = range_start + 1; d < day->number; ++d) spec.weekdays |= 1U << d;
      }
      if (AtEnd()) return true;
      if (next == ' ') {
        SkipSpaces();
        return true;
      }
      if (next == '.' || next == '-') {
        if (range_start >= 0) return Fail(pos_, "a weekday range cannot be extended");
        if (next == '.' && Peek(1) != '.')
          return Fail(pos_, "expected \"..\" between two weekdays");
        range_start = day->number;
        range_offset = word_offset;
        pos_ += next == '.' ? 2 : 1;
      } else {  // ','
        range_start = -1;
        ++pos_;
      }
      // A trailing comma is allowed, an open range is not.
      if (AtEnd() || Peek() == ' ') {
        if (range_start >= 0) return Fail(range_offset, "weekday range has no end");
        SkipSpaces();
        return true;
      }
    }
  }

  // One number; for seconds (`micros`) with an optional fraction, returned in microseconds.
  bool ParseNumber(bool micros, int& out) {
    const std::size_t offset = pos_;
    if (!IsDigit(Peek())) return FailUnexpected("a number");
    std::uint64_t value = 0;
    bool too_large = false;
    while (IsDigit(Peek())) {
      value = value * 10 + static_cast<std::uint64_t>(Peek() - '0');
      if (value > INT_MAX) {
        too_large = true;
        value = INT_MAX + 1ULL;  // keeps the arithmetic below from overflowing
      }
      ++pos_;
    }
    if (micros) {
      value *= kMicrosPerSecond;
      if (Peek() == '.' && Peek(1) != '.') {
        ++pos_;
        if (!IsDigit(Peek())) return FailUnexpected("digits after the decimal point");
        std::uint64_t fraction = 0;
        for (int digits = 0; digits < 6; ++digits) {
          fraction *= 10;
          if (IsDigit(Peek())) fraction += static_cast<std::uint64_t>(Peek() - '0');
          if (IsDigit(Peek())) ++pos_;
        }
        if (Peek() >= '5' && Peek() <= '9') ++fraction;  // round to the microsecond
        while (IsDigit(Peek())) ++pos_;
        value += fraction;
      }
    } else if (Peek() == '.' && IsDigit(Peek(1))) {
      return Fail(pos_, "only seconds may have a fraction");
    }
    if (too_large || value > INT_MAX) {
      return Fail(offset,
                  "number \"" + std::string(s_.substr(offset, pos_ - offset)) + "\" is too large");
    }
    out = static_cast<int>(value);
    return true;
  }

  // A comma-separated list of elements, or "*". Leaves pos_ on the character after it.
  bool ParseChain(const Field& field, std::vector<Element>& out) {
    const bool micros = field.max == kSecond.max;
    if (Peek() == '*') {
      ++pos_;
      if (Peek() == '/')
        return Fail(pos_ - 1,
                    "a repetition needs a start value: write \"0/N\" or \"00/N\", not \"*/N\"");
      if (Peek() == ',' || Peek() == '.')
        return Fail(pos_ - 1, "\"*\" cannot be combined with other values");
      if (micros) out.push_back({{0, -1, kMicrosPerSecond}, pos_ - 1, 1});
      return true;
    }
    for (;;) {
      Element e;
      e.offset = pos_;
      CalendarComponent& c = e.component;
      if (!ParseNumber(micros, c.start)) return false;
      if (Peek() == '.' && Peek(1) == '.') {
        pos_ += 2;
        if (!ParseNumber(micros, c.stop)) return false;
        c.repeat = micros ? kMicrosPerSecond : 1;
      }
      if (Peek() == '/') {
        ++pos_;
        const std::size_t step_offset = pos_;
        if (!ParseNumber(micros, c.repeat)) return false;
        if (c.repeat == 0) return Fail(step_offset, "a repetition step must not be 0");
      } else if (c.start > INT_MAX - c.repeat) {
        return Fail(e.offset, "number is too large");
      } else if (micros && c.stop >= 0 && c.start + c.repeat > c.stop) {
        // Without a step, a range of seconds steps by one second, so it must span one.
        return Fail(e.offset, "second range \"" +
                                  std::string(s_.substr(e.offset, pos_ - e.offset)) +
                                  "\" is shorter than one second; give a step, e.g. \"/0.5\"");
      }
      e.length = pos_ - e.offset;
      const char next = Peek();
      if (next != '\0' && next != ' ' && next != ',' && next != '-' && next != '~' && next != ':') {
        return FailUnexpected("\",\", \"..\", \"/\" or the next field");
      }
      out.push_back(e);
      if (next != ',') return true;
      ++pos_;
    }
  }

  bool ParseDate(CalendarSpec& spec, std::vector<Element>& year, std::vector<Element>& month,
                 std::vector<Element>& day) {
    if (AtEnd()) return true;
    if (Peek() == '@') return Fail(pos_, "\"@\" timestamps are not supported");
    const std::size_t start = pos_;
    std::vector<Element> first;
    std::vector<Element> second;
    std::vector<Element> third;
    if (!ParseChain(kYear, first)) return false;
    if (AtEnd() || Peek() == ':') {  // that was the hour: there is no date
      pos_ = start;
      return true;
    }
    if (Peek() == '~') {
      spec.end_of_month = true;
    } else if (Peek() != '-') {
      return FailUnexpected("\"-\" in a date or \":\" in a time");
    }
    const std::size_t first_separator = pos_++;
    if (!ParseChain(kMonth, second)) return false;
    if (AtEnd() || Peek() == ' ') {  // month-day
      SkipSpaces();
      month = std::move(first);
      day = std::move(second);
      return true;
    }
    if (spec.end_of_month) {
      return Fail(first_separator, "\"~\" may only separate the month from the day");
    }
    if (Peek() == '~') {
      spec.end_of_month = true;
    } else if (Peek() != '-') {
      return FailUnexpected("\"-\" or \"~\" before the day");
    }
    ++pos_;
    if (!ParseChain(kDay, third)) return false;
    if (!AtEnd() && Peek() != ' ') return FailUnexpected("a space after the date");
    SkipSpaces();
    year = std::move(first);
    month = std::move(second);
    day = std::move(third);
    return true;
  }

  bool ParseTime(std::vector<Element>& hour, std::vector<Element>& minute,
                 std::vector<Element>& second) {
    const auto zero = [this] { return Element{Value(0), pos_, 0}; };
    if (AtEnd()) {  // no time: midnight
      hour = {zero()};
      minute = {zero()};
      second = {zero()};
      return true;
    }
    if (!ParseChain(kHour, hour)) return false;
    if (Peek() != ':') return FailUnexpected("\":\" and the minutes");
    ++pos_;
    if (!ParseChain(kMinute, minute)) return false;
    if (AtEnd()) {
      second = {zero()};
      return true;
    }
    if (Peek() != ':') return FailUnexpected("\":\" and the seconds");
    ++pos_;
    if (!ParseChain(kSecond, second)) return false;
    if (!AtEnd()) return FailUnexpected("the end of the expression");
    return true;
  }

  // Normalizes each element as systemd does, checks it against the field's limits, then sorts
  // the chain and drops duplicates.
  bool Finish(std::vector<Element>& elements, const Field& field, bool end_of_month,
              CalendarChain& out) {
    out.clear();
    for (Element& e : elements) {
      CalendarComponent& c = e.component;  // normalized in place, then sorted below
      if (&field == &kYear) {
        for (int* v : {&c.start, &c.stop}) {
          if (*v >= 0 && *v < 70) *v += 2000;
          if (*v >= 70 && *v < 100) *v += 1900;
        }
      }
      if (c.stop > c.start && c.repeat > 0) c.stop -= (c.stop - c.start) % c.repeat;
      if ((c.stop > c.start && c.start + c.repeat > c.stop) || c.start == c.stop) {
        c.repeat = 0;
        c.stop = -1;
      }
      const std::string quoted = "\"" + std::string(s_.substr(e.offset, e.length)) + "\"";
      const std::string name(field.name);
      const std::string limits = Limits(field);
      if (c.start < field.min || c.start > field.max ||
          (c.stop >= 0 && (c.stop < field.min || c.stop > field.max))) {
        return Fail(e.offset, name + " " + quoted + " is out of range " + limits);
      }
      if (c.repeat > field.max - field.min) {
        return Fail(e.offset, name + " " + quoted + " has a step larger than the range " + limits);
      }
      if (c.stop >= 0 && c.start + c.repeat > c.stop) {
        return Fail(e.offset, name + " range " + quoted + " goes backwards");
      }
      if (c.stop < 0 && c.repeat > 0) {
        if (end_of_month ? c.start - c.repeat < field.min : c.start + c.repeat > field.max) {
          return Fail(e.offset, name + " " + quoted + " never repeats within " +
                                    (end_of_month ? "the month" : limits));
        }
      }
    }
    auto key = [](const Element& e) {
      return std::tuple(e.component.start, e.component.stop, e.component.repeat);
    };
    std::sort(elements.begin(), elements.end(),
              [&](const Element& a, const Element& b) { return key(a) < key(b); });
    for (const Element& e : elements) {
      if (!out.empty() && out.back() == e.component) continue;
      if (end_of_month && !FitsBeforeTheMonthsEnd(e, field, out.size())) return false;
      out.push_back(e.component);
    }
    return true;
  }

  // systemd (calendar_spec_valid, 252 and later) counts no further back than 28 days from the
  // month's end, and lowers that bound by 3 days for each smaller value before it in the sorted
  // list: "*-*~10,2" is a valid timer, "*-*~10,2,27" is not. A list systemd would not load must
  // not pass here, or `schedule install` would write a timer that never runs.
  bool FitsBeforeTheMonthsEnd(const Element& e, const Field& field, std::size_t earlier) {
    const int last = field.max - 3 * (static_cast<int>(earlier) + 1);
    const CalendarComponent& c = e.component;
    if (c.start <= last && c.stop <= last && c.repeat <= last - field.min) return true;
    const std::string quoted = "\"" + std::string(s_.substr(e.offset, e.length)) + "\"";
    std::string why = std::string(field.name) + " " + quoted +
                      " counts back too far from the month's end: at most " + std::to_string(last) +
                      " days";
    if (earlier > 0) {
      why += " after " + std::to_string(earlier) +
             " smaller value(s) (systemd allows 3 days fewer for each)";
    }
    return Fail(e.offset, why);
  }

  static std::string Limits(const Field& field) {
    if (field.max == kSecond.max) return "0..59";
    return std::to_string(field.min) + ".." + std::to_string(field.max);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  CalendarError error_;
};

// Strips a trailing zone from `body` and records it in `spec`. Returns an error for a zone
// other than UTC and the local one.
std::optional<CalendarError> StripZone(std::string_view& body, const CalendarParseOptions& options,
                                       CalendarSpec& spec) {
  if (EndsWithNoCase(body, " UTC")) {
    spec.zone = CalendarZone::kUtc;
    body.remove_suffix(4);
    return std::nullopt;
  }
  for (int dst = 0; dst < 2; ++dst) {
    const std::string& name = options.local_zone_names[dst];
    if (name.empty() || body.size() <= name.size() + 1 || !EndsWithNoCase(body, name) ||
        body[body.size() - name.size() - 1] != ' ') {
      continue;
    }
    spec.local_dst = dst;
    spec.local_zone_name = name;
    body.remove_suffix(name.size() + 1);
    return std::nullopt;
  }
  const std::size_t last_space = body.rfind(' ');
  if (last_space == std::string_view::npos) return std::nullopt;
  const std::string_view last = body.substr(last_space + 1);
  if (last.empty() || !IsAlpha(last[0]) || IsShorthand(last) || MatchWeekday(last) != nullptr) {
    return std::nullopt;
  }
  return CalendarError{last_space + 1, "unsupported time zone \"" + std::string(last) +
                                           "\": only UTC and the local zone are accepted"};
}

}  // namespace

CalendarResult ParseCalendar(std::string_view text, const CalendarParseOptions& options) {
  if (text.empty()) return CalendarError{0, "empty calendar expression"};
  CalendarSpec spec;
  std::string_view body = text;
  if (std::optional<CalendarError> error = StripZone(body, options, spec)) return *error;
  if (body.empty()) return CalendarError{0, "expected a date or time before the time zone"};
  if (ApplyShorthand(body, spec)) return spec;

  Parser parser(body);
  if (!parser.Parse(spec)) return parser.error();
  if (spec.weekdays == 0x7f) spec.weekdays = 0;  // every day is the same as no weekday
  if (spec.day.empty()) spec.end_of_month = false;
  return spec;
}

CalendarResult ParseCalendar(std::string_view text) {
  static const CalendarParseOptions kLocal = LocalCalendarParseOptions();
  return ParseCalendar(text, kLocal);
}

}  // namespace guestbackup::schedule
