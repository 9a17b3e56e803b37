#include "options.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace guestbackup::bench {
namespace {

constexpr const char* kUsage =
    "usage: guestbackup_bench_overhead [--files N] [--bytes SIZE] [--repeat N] [--dir DIR]\n"
    "                                  [--keep] [--kopia PATH] [--guestbackup PATH]\n"
    "Measures what `guestbackup run` costs over running `kopia snapshot create` by hand: a\n"
    "first backup and no-change backups, side by side on one throwaway local kopia server.\n"
    "  --files N          files in each of the two trees (default 20000)\n"
    "  --bytes SIZE       total size of each tree: 100MiB, 1GiB, ... (default 1GiB)\n"
    "  --repeat N         no-change backups per side (default 5)\n"
    "  --dir DIR          where the work directory is created (default /var/tmp)\n"
    "  --keep             keep the work directory (trees, repository, agent state)\n"
    "  --kopia PATH       kopia binary (default $GUESTBACKUP_KOPIA, else PATH)\n"
    "  --guestbackup PATH the agent binary to measure (default: the one built with this)\n";

std::optional<std::uint64_t> ParseCount(const std::string& text) {
  auto size = ParseByteSize(text);
  return size && text.find_first_not_of("0123456789") == std::string::npos ? size : std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> ParseByteSize(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  const std::uint64_t number = std::stoull(text.substr(0, digits));
  static const std::pair<const char*, std::uint64_t> kUnits[] = {
      {"", 1},           {"B", 1},
      {"K", 1ULL << 10}, {"KiB", 1ULL << 10},
      {"M", 1ULL << 20}, {"MiB", 1ULL << 20},
      {"G", 1ULL << 30}, {"GiB", 1ULL << 30}};
  const std::string unit = text.substr(digits);
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return number * factor;
  }
  return std::nullopt;
}

std::optional<BenchOptions> ParseOptions(int argc, char** argv, int& exit_code) {
  BenchOptions opts;
  opts.guestbackup = GUESTBACKUP_BINARY;
  const auto usage_error = [&](const std::string& message) {
    std::fprintf(stderr, "%s\n%s", message.c_str(), kUsage);
    exit_code = 2;
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      exit_code = 0;
      return std::nullopt;
    }
    if (flag == "--keep") {
      opts.keep = true;
      continue;
    }
    if (i + 1 >= argc) return usage_error(flag + ": unknown flag or missing value");
    const std::string value = argv[++i];
    if (flag == "--files" || flag == "--repeat") {
      const auto n = ParseCount(value);
      if (!n || *n == 0 || *n > 10'000'000) return usage_error(flag + ": want a positive count");
      if (flag == "--files") opts.files = *n;
      if (flag == "--repeat") opts.repeat = static_cast<int>(*n);
    } else if (flag == "--bytes") {
      const auto n = ParseByteSize(value);
      if (!n) return usage_error("--bytes: want a size like 200MiB or 1GiB");
      opts.bytes = *n;
    } else if (flag == "--dir") {
      opts.dir = value;
    } else if (flag == "--kopia") {
      opts.kopia = value;
    } else if (flag == "--guestbackup") {
      opts.guestbackup = value;
    } else {
      return usage_error(flag + ": unknown flag");
    }
  }
  if (opts.bytes < opts.files) return usage_error("--bytes: want at least one byte per file");
  return opts;
}

}  // namespace guestbackup::bench
