// The benchmarks' small command-line loop: --help, --keep, and "--flag VALUE" pairs handed
// to the benchmark's own handler.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace guestbackup::bench {

// Returns "" when the value was taken, else the message to print above the usage.
using FlagHandler = std::function<std::string(const std::string& flag, const std::string& value)>;

// Walks argv. Returns nullopt when the benchmark should run, or the exit code to leave with
// (0 after --help, 2 after printing an error and the usage).
std::optional<int> ParseFlags(int argc, char** argv, const char* usage, bool& keep,
                              const FlagHandler& on_value);

// `text` as a decimal number within [min, max]; nullopt when it is not one.
std::optional<int> ParseBoundedInt(const std::string& text, int min, int max);

// Prints `message` and the usage to stderr; returns the usage-error exit code (2).
int UsageError(const std::string& message, const char* usage);

}  // namespace guestbackup::bench
