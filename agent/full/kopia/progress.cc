#include "full/kopia/progress.h"

#include <cmath>
#include <regex>
#include <string>

namespace guestbackup::kopia {

std::int64_t ParseByteSize(std::string_view text) {
  static const std::regex kSize(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTPE]?i?B)\s*$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, kSize)) return -1;
  const double value = std::stod(m[1].str());
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
  return static_cast<std::int64_t>(std::llround(value * std::pow(base, power)));
}

std::optional<SnapshotProgress> ParseProgressLine(std::string_view line) {
  static const std::regex kLine(
      R"((\d+) hashing, (\d+) hashed \(([^)]*)\), (\d+) cached \(([^)]*)\), uploaded ([0-9.]+ [KMGTPE]?i?B))"
      R"((?:.*?, estimated ([0-9.]+ [KMGTPE]?i?B) \(([0-9.]+)%\) (.*?) left)?)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(line.begin(), line.end(), m, kLine)) return std::nullopt;
  SnapshotProgress p;
  p.hashed_files = std::stoll(m[2].str());
  p.hashed_bytes = ParseByteSize(m[3].str());
  p.cached_files = std::stoll(m[4].str());
  p.cached_bytes = ParseByteSize(m[5].str());
  p.uploaded_bytes = ParseByteSize(m[6].str());
  if (m[7].matched) {
    p.estimated_bytes = ParseByteSize(m[7].str());
    p.percent = std::stod(m[8].str());
    p.remaining = m[9].str();
  }
  return p;
}

std::optional<RestoreProgress> ParseRestoreProgressLine(std::string_view line) {
  static const std::regex kLine(
      R"(Processed (\d+) \(([0-9.]+ [KMGTPE]?i?B)\) of (\d+) \(([0-9.]+ [KMGTPE]?i?B)\))"
      R"((?:.*? \(([0-9.]+)%\) remaining (.*?)\.$)?)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(line.begin(), line.end(), m, kLine)) return std::nullopt;
  RestoreProgress p;
  p.done_files = std::stoll(m[1].str());
  p.done_bytes = ParseByteSize(m[2].str());
  p.total_files = std::stoll(m[3].str());
  p.total_bytes = ParseByteSize(m[4].str());
  if (m[5].matched) {
    p.percent = std::stod(m[5].str());
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
