// The OS-independent parts of process.h: describing results and rendering command lines.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/secret_masker.h"
#include "lean/process/process.h"

namespace guestbackup::process {
namespace {

// "30s" for whole seconds (the usual policy values), "250ms" otherwise.
std::string FormatTimeout(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + "s";
  return std::to_string(timeout.count()) + "ms";
}

// Characters a POSIX shell takes literally outside quotes.
bool IsShellSafe(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

// Single quotes keep everything literal except the quote itself, written as '\''.
std::string ShellQuote(std::string_view arg) {
  bool safe = !arg.empty();
  for (char c : arg) safe = safe && IsShellSafe(c);
  if (safe) return std::string(arg);
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (cancelled) return "cancelled";
  if (timed_out) {
    std::string text = "timed out after " + FormatTimeout(timeout);
    return exited ? text + " (exit code " + std::to_string(exit_code) + ")" : text + " (killed)";
  }
  if (stalled) {
    std::string text = "no output for " + FormatTimeout(idle_timeout);
    return exited ? text + " (exit code " + std::to_string(exit_code) + ")" : text + " (killed)";
  }
  if (exited) return "exit code " + std::to_string(exit_code);
  if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
  return "not started";
}

std::string FormatCommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    // Masking before quoting: quoting rewrites a secret that contains a quote, and the
    // masker would no longer recognise it.
    line += ShellQuote(MaskSecrets(arg));
  }
  return line;
}

std::vector<std::string> ShellArgv(std::string_view script) {
#if defined(_WIN32)
  return {"cmd.exe", "/d", "/s", "/c", std::string(script)};
#else
  return {"/bin/sh", "-c", std::string(script)};
#endif
}

bool IsShellArgv(const std::vector<std::string>& argv) {
  const std::vector<std::string> shell = ShellArgv("");
  return argv.size() == shell.size() && std::equal(shell.begin(), shell.end() - 1, argv.begin());
}

}  // namespace guestbackup::process
