// See local_path.h: the path rules of Linux and of Windows, chosen when the agent is built.
#include "lean/policy/local_path.h"

#include <algorithm>
#include <cctype>

#include "lean/base/quoted.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {
namespace {

#if defined(_WIN32)
constexpr char kSeparator = '\\';

bool IsSeparator(char c) { return c == '\\' || c == '/'; }

// "C:" from "c:\..." or "c:/..."; "" when `path` does not start with a drive and a separator.
std::string DriveOf(std::string_view path) {
  if (path.size() < 3 || !std::isalpha(static_cast<unsigned char>(path[0])) || path[1] != ':' ||
      !IsSeparator(path[2])) {
    return "";
  }
  return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(path[0])))) + ":";
}
#else
constexpr char kSeparator = '/';

bool IsSeparator(char c) { return c == '/'; }
#endif

}  // namespace

bool SameEntryName(std::string_view a, std::string_view b) {
  if constexpr (!kNamesIgnoreCase) return a == b;
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

Result<std::string> NormalizePath(std::string_view path, DotDot dot_dot) {
  if (std::optional<ValueProblem> nul = CheckNoNul(path)) return InvalidArgument(nul->message);
#if defined(_WIN32)
  if (path.size() >= 2 && IsSeparator(path[0]) && IsSeparator(path[1])) {
    return InvalidArgument(Quoted(path) +
                           " is a network (UNC) or device path; give a path on one of this "
                           "machine's drives, such as C:\\Users");
  }
  const std::string root = DriveOf(path);
  if (root.empty()) {
    return InvalidArgument(Quoted(path) + " is not an absolute path (such as C:\\Users)");
  }
  std::size_t start = 3;
#else
  if (!path.starts_with('/')) return InvalidArgument(Quoted(path) + " is not an absolute path");
  const std::string root;
  std::size_t start = 1;
#endif
  std::string out = root;
  while (start <= path.size()) {
    std::size_t end = start;
    while (end < path.size() && !IsSeparator(path[end])) ++end;
    const std::string_view part = path.substr(start, end - start);
    if (part == ".." && dot_dot == DotDot::kRefused) {
      return InvalidArgument("\"..\" is not allowed in a path (" + Quoted(path) + ")");
    }
    if (part == "..") {
      const std::size_t parent = out.rfind(kSeparator);  // never above the root
      out.resize(parent == std::string::npos || parent < root.size() ? root.size() : parent);
    } else if (!part.empty() && part != ".") {
      out += kSeparator + std::string(part);
    }
    start = end + 1;
  }
  return out == root ? root + kSeparator : out;
}

bool PathIsWithin(std::string_view path, std::string_view dir) {
  if (path.size() < dir.size() || !SameEntryName(path.substr(0, dir.size()), dir)) return false;
  return path.size() == dir.size() || dir.back() == kSeparator || path[dir.size()] == kSeparator;
}

std::string RelativeEntryPath(std::string_view path, std::string_view dir) {
  if (path.size() <= dir.size()) return "";
  std::string rest(path.substr(dir.size() + (dir.back() == kSeparator ? 0 : 1)));
  std::replace(rest.begin(), rest.end(), kSeparator, '/');
  return rest;
}

}  // namespace guestbackup::policy
