#include "lean/policy/value_checks.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "lean/base/quoted.h"
#include "lean/policy/bandwidth.h"
#include "lean/policy/duration.h"
#include "lean/policy/suggest.h"
#include "lean/schedule/calendar_spec.h"

namespace guestbackup::policy {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A server URL is only host and port; a webhook's may have a path (and a query).
std::optional<ValueProblem> CheckUrl(std::string_view url, bool path_allowed) {
  constexpr std::string_view kHttps = "https://";
  const std::string form = path_allowed ? "https://host[:port]/path" : "https://host[:port]";
  const std::string expected = "; expected " + form;
  if (url.starts_with("http://")) {
    return ValueProblem{"plain http is refused; use " + form, 0};
  }
  if (!url.starts_with(kHttps)) return ValueProblem{"invalid URL " + Quoted(url) + expected, 0};
  const std::size_t host_start = kHttps.size();
  std::size_t pos = host_start;
  if (pos < url.size() && url[pos] == '[') {  // IPv6 literal
    while (pos < url.size() && url[pos] != ']') ++pos;
    if (pos == url.size())
      return ValueProblem{"unterminated \"[\" in the host", static_cast<int>(host_start)};
    ++pos;
  } else {
    while (pos < url.size() && url[pos] != ':' && url[pos] != '/') {
      const char c = url[pos];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
        return ValueProblem{"invalid character " + Quoted(std::string(1, c)) + " in the host",
                            static_cast<int>(pos)};
      }
      ++pos;
    }
  }
  if (pos == host_start) return ValueProblem{"missing host" + expected, static_cast<int>(pos)};
  if (pos < url.size() && url[pos] == ':') {
    const std::size_t port_start = ++pos;
    while (pos < url.size() && url[pos] != '/') ++pos;
    const std::optional<long long> port = ParseInteger(url.substr(port_start, pos - port_start));
    if (!port || *port < 1 || *port > 65535) {
      return ValueProblem{"invalid port " + Quoted(url.substr(port_start, pos - port_start)),
                          static_cast<int>(port_start)};
    }
  }
  if (pos < url.size() && path_allowed) {
    for (std::size_t i = pos; i < url.size(); ++i) {
      const auto c = static_cast<unsigned char>(url[i]);
      if (c <= ' ' || c >= 0x7f) {
        return ValueProblem{"invalid character " + Quoted(std::string(1, url[i])) +
                                " in the path; encode it as %XX",
                            static_cast<int>(i)};
      }
    }
    return std::nullopt;
  }
  if (pos < url.size()) {
    return ValueProblem{"the URL must not have a path (" + Quoted(url.substr(pos)) + ")" + expected,
                        static_cast<int>(pos)};
  }
  return std::nullopt;
}

std::optional<ValueProblem> CheckFingerprint(std::string_view text) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ':') continue;
    if (!IsHex(text[i])) {
      return ValueProblem{"invalid character " + Quoted(std::string(1, text[i])) +
                              " in the fingerprint; expected 64 hex digits (SHA-256)",
                          static_cast<int>(i)};
    }
    ++digits;
  }
  if (digits != 64) {
    return ValueProblem{"expected 64 hex digits (SHA-256), got " + std::to_string(digits), 0};
  }
  return std::nullopt;
}

// "name.namespace" or a longer DNS name: labels of [a-z0-9-], 1-63 characters, not starting or
// ending with "-". One label alone names no namespace.
std::optional<ValueProblem> CheckServiceName(std::string_view name) {
  const std::string expected =
      "; expected <service>.<namespace>, e.g. \"bsls-sample.openshift-adp\"";
  std::size_t start = 0;
  int labels = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return ValueProblem{"invalid DNS label " + Quoted(label) + expected, static_cast<int>(start)};
    }
    for (std::size_t i = 0; i < label.size(); ++i) {
      if (!IsLowerAlnum(label[i]) && label[i] != '-') {
        return ValueProblem{"invalid character " + Quoted(std::string(1, label[i])) + expected,
                            static_cast<int>(start + i)};
      }
    }
    ++labels;
    start = end + 1;
  }
  if (labels < 2) return ValueProblem{"missing the namespace" + expected, 0};
  return std::nullopt;
}

std::optional<ValueProblem> CheckChoice(const SchemaEntry& entry, std::string_view value) {
  if (std::find(entry.choices.begin(), entry.choices.end(), value) != entry.choices.end()) {
    return std::nullopt;
  }
  std::string message = "unknown value " + Quoted(value);
  if (std::optional<std::string> close = ClosestMatch(value, entry.choices)) {
    return ValueProblem{message + "; did you mean " + Quoted(*close) + "?", 0};
  }
  message += "; expected one of:";
  for (const std::string& choice : entry.choices) message += " " + choice;
  return ValueProblem{message, 0};
}

std::optional<ValueProblem> CheckDuration(std::string_view value, bool zero_allowed) {
  Result<std::chrono::milliseconds> duration = ParseDuration(value);
  if (!duration.ok()) return ValueProblem{duration.status().message(), 0};
  if (!zero_allowed && duration->count() == 0) return ValueProblem{"must be longer than 0", 0};
  if (zero_allowed && duration->count() % 1000 != 0) {
    return ValueProblem{"must be a whole number of seconds", 0};
  }
  return std::nullopt;
}

}  // namespace

// Where the first NUL byte is, if any: no path or name can hold one (the kernel would cut it
// there), so every value with one is refused.
std::optional<ValueProblem> CheckNoNul(std::string_view value) {
  const std::size_t nul = value.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  return ValueProblem{
      Quoted(value) + " contains a NUL byte at character " + std::to_string(nul + 1),
      static_cast<int>(nul)};
}

std::optional<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

bool IsValidJobName(std::string_view name) {
  if (name.empty() || name.size() > 63 || !IsLowerAlnum(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsLowerAlnum(c) || c == '-' || c == '_'; });
}

std::string NormalizeFingerprint(std::string_view fingerprint) {
  std::string out;
  for (char c : fingerprint) {
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<ValueProblem> CheckScalar(const SchemaEntry& entry, std::string_view value) {
  if (std::optional<ValueProblem> nul = CheckNoNul(value)) return nul;
  switch (entry.kind) {
    case ValueKind::kString:
      if (value.empty()) return ValueProblem{"must not be empty", 0};
      return std::nullopt;
    case ValueKind::kVersion: {
      const std::optional<long long> version = ParseInteger(value);
      if (!version) return ValueProblem{"expected an integer", 0};
      if (*version != 1) {
        return ValueProblem{
            "unsupported version " + std::string(value) + "; only version 1 is supported", 0};
      }
      return std::nullopt;
    }
    case ValueKind::kCount: {
      const std::optional<long long> count = ParseInteger(value);
      if (!count) return ValueProblem{"expected an integer", 0};
      if (*count < 0) return ValueProblem{"must be 0 or more, got " + std::string(value), 0};
      if (*count > 1'000'000) return ValueProblem{"must be at most 1000000", 0};
      return std::nullopt;
    }
    case ValueKind::kPositiveCount: {
      const std::optional<long long> count = ParseInteger(value);
      if (!count) return ValueProblem{"expected an integer", 0};
      if (*count < 1) return ValueProblem{"must be 1 or more, got " + std::string(value), 0};
      if (*count > 1'000'000) return ValueProblem{"must be at most 1000000", 0};
      return std::nullopt;
    }
    case ValueKind::kBool:
      if (!ParseBool(value)) return ValueProblem{"expected true or false", 0};
      return std::nullopt;
    case ValueKind::kDuration:
      return CheckDuration(value, false);
    case ValueKind::kDelay:
      return CheckDuration(value, true);
    case ValueKind::kAbsolutePath: {
      Result<std::string> path = NormalizePath(value);
      if (!path.ok()) return ValueProblem{path.status().message(), 0};
      return std::nullopt;
    }
    case ValueKind::kHttpsUrl:
      return CheckUrl(value, false);
    case ValueKind::kWebhookUrl:
      return CheckUrl(value, true);
    case ValueKind::kFingerprint:
      return CheckFingerprint(value);
    case ValueKind::kIdentityName:
      if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) {
            return IsLowerAlnum(c) || c == '.' || c == '_' || c == '-';
          })) {
        return ValueProblem{"invalid name " + Quoted(value) +
                                ": use lowercase letters, digits, \".\", \"_\" and \"-\"",
                            0};
      }
      return std::nullopt;
    case ValueKind::kServiceName:
      return CheckServiceName(value);
    case ValueKind::kHookName:
      if (value.empty() || !IsLowerAlnum(value[0]) ||
          !std::all_of(value.begin(), value.end(),
                       [](char c) { return IsLowerAlnum(c) || c == '_' || c == '-'; })) {
        return ValueProblem{"invalid hook name " + Quoted(value) +
                                ": use lowercase letters, digits, \"-\" and \"_\", starting with "
                                "a letter or digit",
                            0};
      }
      return std::nullopt;
    case ValueKind::kSchedule: {
      schedule::CalendarResult spec = schedule::ParseCalendar(value);
      if (!spec.ok()) {
        return ValueProblem{spec.error().message, static_cast<int>(spec.error().offset)};
      }
      return std::nullopt;
    }
    case ValueKind::kRate: {
      BandwidthTextError error;
      if (!ParseByteRate(value, &error)) return ValueProblem{error.message, error.offset};
      return std::nullopt;
    }
    case ValueKind::kWeeklyWindow: {
      BandwidthTextError error;
      if (!ParseWeeklyWindow(value, &error)) return ValueProblem{error.message, error.offset};
      return std::nullopt;
    }
    case ValueKind::kChoice:
    case ValueKind::kChoiceList:
      return CheckChoice(entry, value);
    case ValueKind::kMapping:
    case ValueKind::kNamedMappings:
    case ValueKind::kMappingList:
    case ValueKind::kStringList:
    case ValueKind::kPathList:
    case ValueKind::kArgv:
      break;
  }
  return ValueProblem{"internal error: not a scalar key", 0};
}

}  // namespace guestbackup::policy
