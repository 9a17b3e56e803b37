#include "common/flags.h"

#include <cstdio>

namespace guestbackup::bench {

int UsageError(const std::string& message, const char* usage) {
  std::fprintf(stderr, "%s\n%s", message.c_str(), usage);
  return 2;
}

std::optional<int> ParseBoundedInt(const std::string& text, int min, int max) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int n = std::stoi(text);
  if (n < min || n > max) return std::nullopt;
  return n;
}

FlagHandler IntFlags(std::vector<IntFlag> flags) {
  return [flags = std::move(flags)](const std::string& flag, const std::string& value) {
    for (const IntFlag& f : flags) {
      if (f.name != flag) continue;
      const std::optional<int> n = ParseBoundedInt(value, f.min, f.max);
      if (!n) {
        return flag + " needs a number from " + std::to_string(f.min) + " to " +
               std::to_string(f.max);
      }
      *f.value = *n;
      return std::string();
    }
    return "unknown flag " + flag;
  };
}

std::optional<int> ParseFlags(int argc, char** argv, const char* usage, bool& keep,
                              const FlagHandler& on_value) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (flag == "--keep") {
      keep = true;
      continue;
    }
    if (i + 1 >= argc) return UsageError(flag + ": unknown flag or missing value", usage);
    const std::string error = on_value(flag, argv[++i]);
    if (!error.empty()) return UsageError(error, usage);
  }
  return std::nullopt;
}

}  // namespace guestbackup::bench
