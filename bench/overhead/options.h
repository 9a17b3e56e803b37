// Command-line options of the overhead benchmark.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace guestbackup::bench {

struct BenchOptions {
  std::uint64_t files = 20000;
  std::uint64_t bytes = 1ULL << 30;
  int repeat = 5;                // no-change runs per side
  std::string dir = "/var/tmp";  // the work directory is created inside it
  bool keep = false;
  std::string kopia;        // "" = $GUESTBACKUP_KOPIA, else kopia on PATH
  std::string guestbackup;  // the agent binary to measure
};

// Parses argv. On --help or a usage error prints to stdout/stderr and returns nullopt with
// `exit_code` set.
std::optional<BenchOptions> ParseOptions(int argc, char** argv, int& exit_code);

// "1GiB", "200MiB", "64KiB", "1G", "1000000" -> bytes; nullopt when malformed.
std::optional<std::uint64_t> ParseByteSize(const std::string& text);

}  // namespace guestbackup::bench
