// The commented sample policy (`guestbackup policy init`), written from the schema table: each
// key with its description as a comment and its example as the value.
#include <string>
#include <vector>

#include "lean/policy/policy_schema.h"

namespace guestbackup::policy {
namespace {

constexpr std::size_t kWidth = 92;

// Markdown backticks read as noise in a YAML comment.
std::string Plain(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '`') out += c;
  }
  return out;
}

// Appends `text` as "# " comment lines at `indent`, wrapped at kWidth.
void Comment(std::string& out, const std::string& text, std::size_t indent) {
  const std::string prefix = std::string(indent, ' ') + "#";
  std::string line = prefix;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (line.size() > prefix.size() && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = prefix;
    }
    line += " " + word;
    start = end + 1;
  }
  out += line + "\n";
}

std::string Describe(const SchemaEntry& entry) {
  std::string text = Plain(entry.description);
  if (!entry.default_text.empty()) {
    text += " Default: " + Plain(entry.default_text);
    if (!text.ends_with('.')) text += '.';
  }
  return text;
}

void Entries(std::string& out, const std::vector<const SchemaEntry*>& entries, std::size_t indent,
             bool list_item);

// Turns the key lines of `block` into comments ("  url: x" -> "  # url: x"); comment lines stay.
std::string CommentOut(const std::string& block) {
  std::string out;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\n', start);
    if (end == std::string::npos) end = block.size();
    const std::string line = block.substr(start, end - start);
    const std::size_t text = line.find_first_not_of(' ');
    if (text == std::string::npos || line[text] == '#') {
      out += line + "\n";
    } else {
      out += line.substr(0, text) + "# " + line.substr(text) + "\n";
    }
    start = end + 1;
  }
  return out;
}

// One key. `lead` replaces the indentation of its first line ("- " for a list item's first key).
void Entry(std::string& out, const SchemaEntry& entry, std::size_t indent,
           const std::string& lead) {
  // A list item's first comment lines up with its "- ".
  Comment(out, Describe(entry), lead.ends_with("- ") ? indent - 2 : indent);
  const std::string key(SchemaKey(entry));
  switch (entry.kind) {
    case ValueKind::kMapping: {
      std::string block = lead + key + ":\n";
      Entries(block, SchemaChildren(entry.path), indent + 2, false);
      out += entry.sample_commented ? CommentOut(block) : block;
      return;
    }
    case ValueKind::kNamedMappings: {
      const SchemaEntry* item = FindSchemaEntry(entry.path + ".*");
      out += lead + key + ":\n";
      Comment(out, Plain(item->description), indent + 2);
      out += std::string(indent + 2, ' ') + item->example + ":\n";
      Entries(out, SchemaChildren(item->path), indent + 4, false);
      return;
    }
    case ValueKind::kMappingList: {
      const SchemaEntry* item = FindSchemaEntry(entry.path + "[]");
      out += lead + key + ":\n";
      Entries(out, SchemaChildren(item->path), indent + 4, true);
      return;
    }
    default:
      if (entry.sample_commented) {
        out += std::string(indent, ' ') + "# " + key + ": " + entry.example + "\n";
      } else {
        out += lead + key + ": " + entry.example + "\n";
      }
      return;
  }
}

void Entries(std::string& out, const std::vector<const SchemaEntry*>& entries, std::size_t indent,
             bool list_item) {
  bool first = true;
  for (const SchemaEntry* entry : entries) {
    std::string lead(indent, ' ');
    if (list_item && first) lead = std::string(indent - 2, ' ') + "- ";
    first = false;
    Entry(out, *entry, indent, lead);
  }
}

}  // namespace

std::string GenerateSamplePolicy() {
  std::string out =
      "# guestbackup policy: what to back up, when, and where to.\n"
      "# Check it with `guestbackup policy check`. Every key is described in docs/policy.md.\n";
  for (const SchemaEntry* entry : SchemaChildren("")) {
    out += "\n";
    Entry(out, *entry, 0, "");
  }
  return out;
}

}  // namespace guestbackup::policy
