#include "full/kopia/progress.h"

#include <charconv>
#include <cmath>
#include <regex>
#include <string>

namespace guestbackup::kopia {
namespace {

// Progress lines are short; a longer line is something else, and std::regex recurses once per
// character, so a very long one would exhaust the stack.
constexpr std::size_t kLongestProgressLine = 4096;

// A number kopia printed, as matched by the patterns below; nullopt when it does not convert
// ("." alone) or does not fit, and the line is then taken for no progress line.
template <typename T>
std::optional<T> Number(const std::string& text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::int64_t ParseByteSize(std::string_view text) {
  static const std::regex kSize(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTPE]?i?B)\s*$)");
  if (text.size() > kLongestProgressLine) return -1;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, kSize)) return -1;
  const std::optional<double> number = Number<double>(m[1].str());
  if (!number) return -1;
  const double value = *number;
  const std::string unit = m[2].str();
  const bool binary = unit.size() == 3;
  const double base = binary ? 1024.0 : 1000.0;
  int power = 0;
  switch (unit[0]) {
    case 'K':
      power = 1;
      break;
    case 'M':
      power = 2;
      break;
    case 'G':
      power = 3;
      break;
    case 'T':
      power = 4;
      break;
    case 'P':
      power = 5;
      break;
    case 'E':
      power = 6;
      break;
    default:
      power = 0;
  }
  const double bytes = value * std::pow(base, power);
  // Past 2^63 bytes is no size kopia meant (and llround would not say so).
  if (!(bytes < 9.2e18)) return -1;
  return static_cast<std::int64_t>(std::llround(bytes));
}

std::optional<SnapshotProgress> ParseProgressLine(std::string_view line) {
  static const std::regex kLine(
      R"((\d+) hashing, (\d+) hashed \(([^)]*)\), (\d+) cached \(([^)]*)\), uploaded ([0-9.]+ [KMGTPE]?i?B))"
      R"((?:.*?, estimated ([0-9.]+ [KMGTPE]?i?B) \(([0-9.]+)%\) (.*?) left)?)");
  if (line.size() > kLongestProgressLine) return std::nullopt;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(line.begin(), line.end(), m, kLine)) return std::nullopt;
  const auto hashed_files = Number<std::int64_t>(m[2].str());
  const auto cached_files = Number<std::int64_t>(m[4].str());
  if (!hashed_files || !cached_files) return std::nullopt;
  SnapshotProgress p;
  p.hashed_files = *hashed_files;
  p.hashed_bytes = ParseByteSize(m[3].str());
  p.cached_files = *cached_files;
  p.cached_bytes = ParseByteSize(m[5].str());
  p.uploaded_bytes = ParseByteSize(m[6].str());
  if (m[7].matched) {
    const auto percent = Number<double>(m[8].str());
    if (!percent) return std::nullopt;
    p.estimated_bytes = ParseByteSize(m[7].str());
    p.percent = *percent;
    p.remaining = m[9].str();
  }
  return p;
}

std::optional<RestoreProgress> ParseRestoreProgressLine(std::string_view line) {
  static const std::regex kLine(
      R"(Processed (\d+) \(([0-9.]+ [KMGTPE]?i?B)\) of (\d+) \(([0-9.]+ [KMGTPE]?i?B)\))"
      R"((?:.*? \(([0-9.]+)%\) remaining (.*?)\.$)?)");
  if (line.size() > kLongestProgressLine) return std::nullopt;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(line.begin(), line.end(), m, kLine)) return std::nullopt;
  const auto done_files = Number<std::int64_t>(m[1].str());
  const auto total_files = Number<std::int64_t>(m[3].str());
  if (!done_files || !total_files) return std::nullopt;
  RestoreProgress p;
  p.done_files = *done_files;
  p.done_bytes = ParseByteSize(m[2].str());
  p.total_files = *total_files;
  p.total_bytes = ParseByteSize(m[4].str());
  if (m[5].matched) {
    const auto percent = Number<double>(m[5].str());
    if (!percent) return std::nullopt;
    p.percent = *percent;
    p.remaining = m[6].str();
  }
  return p;
}

LineSplitter::LineSplitter(std::function<void(std::string_view)> on_line)
    : on_line_(std::move(on_line)) {}

void LineSplitter::Feed(std::string_view chunk) {
  pending_.append(chunk);
  std::size_t start = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i] == '\r' || pending_[i] == '\n') {
      Emit(std::string_view(pending_).substr(start, i - start));
      start = i + 1;
    }
  }
  pending_.erase(0, start);
}

void LineSplitter::Finish() {
  if (!pending_.empty()) Emit(pending_);
  pending_.clear();
}

void LineSplitter::Emit(std::string_view line) {
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  on_line_(line);
}

}  // namespace guestbackup::kopia
