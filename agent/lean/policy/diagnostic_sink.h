// Private to the loader: collects diagnostics with the source line they point at, and hands
// them back in file order.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {

class DiagnosticSink {
 public:
  DiagnosticSink(std::string_view file, std::string_view text);

  // `mark` is yaml-cpp's 0-based position; `column_offset` moves the column right (to point
  // inside a scalar).
  void Add(const YAML::Mark& mark, std::string key_path, std::string message,
           int column_offset = 0);

  bool empty() const { return diagnostics_.empty(); }
  // The file does not look like a policy: keep its lines out of every message.
  void HideSourceLines() { hide_lines_ = true; }
  // Diagnostics added beyond kMaxDiagnostics (counted, not kept).
  std::size_t more() const { return more_; }
  // The text of 1-based line `line`, without its newline; "" past the end.
  std::string_view Line(int line) const;

  // Sorted by line and column; diagnostics at the same place keep the order they were added.
  std::vector<Diagnostic> Take();

 private:
  std::string file_;
  std::vector<std::string_view> lines_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t more_ = 0;
  bool hide_lines_ = false;
};

}  // namespace guestbackup::policy
