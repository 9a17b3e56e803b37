// Diagnostics: collecting them in file order and formatting them with the source line and a
// caret, like a compiler does.
#include <algorithm>
#include <string>

#include "lean/policy/diagnostic_sink.h"
#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {

namespace {

// At most kShownColumns of `line` around 1-based `column`, "..." where it was cut, control
// characters (but tabs) as '?'; sets `caret` to the column within the excerpt.
std::string Excerpt(std::string_view line, int column, int& caret) {
  std::size_t start = 0;
  std::size_t end = line.size();
  const auto at = static_cast<std::size_t>(std::max(column - 1, 0));
  if (line.size() > kShownColumns) {
    start =
        at > kShownColumns / 2 ? std::min(at - kShownColumns / 2, line.size() - kShownColumns) : 0;
    end = start + kShownColumns;
  }
  std::string out = start > 0 ? "..." : "";
  caret = static_cast<int>(at - start + out.size()) + 1;
  for (std::size_t i = start; i < end; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    out.push_back((c < 0x20 && c != '\t') || c == 0x7f ? '?' : line[i]);
  }
  if (end < line.size()) out += "...";
  return out;
}

}  // namespace

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": ";
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message;
  if (d.line <= 0 || d.source_hidden) return out;
  const int column = d.source_column > 0 ? d.source_column : d.column;

  std::string number = std::to_string(d.line);
  if (number.size() < 5) number.insert(0, 5 - number.size(), ' ');
  out += "\n" + number + " | " + d.source_line;
  out += "\n" + std::string(number.size(), ' ') + " | ";
  // Tabs are copied so that the caret lines up however wide the terminal draws them.
  for (int i = 0; i + 1 < column; ++i) {
    const bool tab = i < static_cast<int>(d.source_line.size()) && d.source_line[i] == '\t';
    out += tab ? '\t' : ' ';
  }
  out += '^';
  return out;
}

std::string FormatDiagnostics(const LoadResult& result) {
  std::string text;
  for (const Diagnostic& d : result.diagnostics) {
    text += (text.empty() ? "" : "\n") + FormatDiagnostic(d);
  }
  if (result.more > 0) {
    text +=
        "\n... and " + std::to_string(result.more) + " more error" + (result.more == 1 ? "" : "s");
  }
  return text;
}

DiagnosticSink::DiagnosticSink(std::string_view file, std::string_view text) : file_(file) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines_.push_back(line);
    start = end + 1;
  }
}

std::string_view DiagnosticSink::Line(int line) const {
  if (line < 1 || line > static_cast<int>(lines_.size())) return {};
  return lines_[line - 1];
}

void DiagnosticSink::Add(const YAML::Mark& mark, std::string key_path, std::string message,
                         int column_offset) {
  if (diagnostics_.size() >= kMaxDiagnostics) {
    ++more_;
    return;
  }
  Diagnostic d;
  d.file = file_;
  d.line = mark.line < 0 ? 1 : mark.line + 1;
  d.column = (mark.column < 0 ? 0 : mark.column) + 1 + column_offset;
  d.key_path = std::move(key_path);
  d.message = std::move(message);
  d.source_hidden = hide_lines_;
  if (!hide_lines_) d.source_line = Excerpt(Line(d.line), d.column, d.source_column);
  diagnostics_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::Take() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  return std::move(diagnostics_);
}

}  // namespace guestbackup::policy
