#include "options.h"

#include "common/flags.h"

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
  const auto done = ParseFlags(argc, argv, kUsage, opts.keep,
                               [&](const std::string& flag, const std::string& value) {
                                 if (flag == "--files" || flag == "--repeat") {
                                   const auto n = ParseCount(value);
                                   if (!n || *n == 0 || *n > 10'000'000)
                                     return flag + ": want a positive count";
                                   if (flag == "--files") opts.files = *n;
                                   if (flag == "--repeat") opts.repeat = static_cast<int>(*n);
                                 } else if (flag == "--bytes") {
                                   const auto n = ParseByteSize(value);
                                   if (!n)
                                     return std::string("--bytes: want a size like 200MiB or 1GiB");
                                   opts.bytes = *n;
                                 } else if (flag == "--dir") {
                                   opts.dir = value;
                                 } else if (flag == "--kopia") {
                                   opts.kopia = value;
                                 } else if (flag == "--guestbackup") {
                                   opts.guestbackup = value;
                                 } else {
                                   return flag + ": unknown flag";
                                 }
                                 return std::string();
                               });
  if (done) {
    exit_code = *done;
    return std::nullopt;
  }
  if (opts.bytes < opts.files) {
    exit_code = UsageError("--bytes: want at least one byte per file", kUsage);
    return std::nullopt;
  }
  return opts;
}

}  // namespace guestbackup::bench
