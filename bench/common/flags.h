// The benchmarks' small command-line loop: --help, --keep, and "--flag VALUE" pairs handed
// to the benchmark's own handler.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace guestbackup::bench {

// Returns "" when the value was taken, else the message to print above the usage.
using FlagHandler = std::function<std::string(const std::string& flag, const std::string& value)>;

// Walks argv. Returns nullopt when the benchmark should run, or the exit code to leave with
// (0 after --help, 2 after printing an error and the usage).
std::optional<int> ParseFlags(int argc, char** argv, const char* usage, bool& keep,
                              const FlagHandler& on_value);

// One "--name N" flag of a benchmark: an integer within [min, max] stored in *value.
struct IntFlag {
  std::string name;
  int* value;
  int min;
  int max;
};

// The handler for a benchmark whose flags are all integers: an unknown flag or a value out
// of its bounds is a usage error naming the flag.
FlagHandler IntFlags(std::vector<IntFlag> flags);

// `text` as a decimal number within [min, max]; nullopt when it is not one.
std::optional<int> ParseBoundedInt(const std::string& text, int min, int max);

// Prints `message` and the usage to stderr; returns the usage-error exit code (2).
int UsageError(const std::string& message, const char* usage);

}  // namespace guestbackup::bench
