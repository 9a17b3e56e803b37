// Pass 1: the schema walk. Each mapping's keys are looked up in the schema table, and each
// value is checked against its entry's kind.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lean/policy/policy_passes.h"
#include "lean/policy/policy_schema.h"
#include "lean/policy/suggest.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {
namespace {

std::string Join(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

class SchemaWalker {
 public:
  explicit SchemaWalker(DiagnosticSink& sink) : sink_(sink) {}

  void WalkRoot(const YAML::Node& root) { WalkMapping(root, "", "", root.Mark()); }

 private:
  // Where to point for a value: the value itself, or its key when the value is empty (yaml-cpp
  // puts an empty value's mark on the following line).
  static YAML::Mark Where(const YAML::Node& value, const YAML::Mark& key_mark) {
    if (value.IsNull() || value.Mark().line < 0) return key_mark;
    return value.Mark();
  }

  void Walk(const YAML::Node& value, const SchemaEntry& entry, const std::string& path,
            const YAML::Mark& key_mark) {
    switch (entry.kind) {
      case ValueKind::kMapping:
        WalkMapping(value, entry.path, path, key_mark);
        return;
      case ValueKind::kNamedMappings:
        WalkJobs(value, entry, path, key_mark);
        return;
      case ValueKind::kMappingList:
        WalkMappingList(value, entry, path, key_mark);
        return;
      case ValueKind::kStringList:
      case ValueKind::kPathList:
      case ValueKind::kArgv:
      case ValueKind::kChoiceList:
        WalkStringList(value, entry, path, key_mark);
        return;
      default:
        WalkScalar(value, entry, path, key_mark);
        return;
    }
  }

  // Reports duplicate keys; calls `visit(key, key_mark, value)` for the first of each.
  template <typename Visit>
  void ForEachKey(const YAML::Node& node, const std::string& path, Visit visit) {
    std::map<std::string, int> first_line;
    for (const auto& pair : node) {
      const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "?";
      const YAML::Mark key_mark = pair.first.Mark();
      auto [it, inserted] = first_line.emplace(key, key_mark.line + 1);
      if (!inserted) {
        sink_.Add(key_mark, Join(path, key),
                  "duplicate key; first given on line " + std::to_string(it->second));
        continue;
      }
      visit(key, key_mark, pair.second);
    }
  }

  void WalkMapping(const YAML::Node& node, const std::string& pattern, const std::string& path,
                   const YAML::Mark& key_mark) {
    const std::vector<const SchemaEntry*> children = SchemaChildren(pattern);
    // An empty document counts as an empty top-level mapping, so its missing keys are named.
    const bool empty_root = pattern.empty() && node.IsNull();
    if (!node.IsMap() && !empty_root) {
      sink_.Add(Where(node, key_mark), path, "expected a mapping");
      return;
    }
    std::vector<std::string> seen;
    if (node.IsMap()) {
      ForEachKey(node, path,
                 [&](const std::string& key, const YAML::Mark& mark, const YAML::Node& value) {
                   seen.push_back(key);
                   for (const SchemaEntry* child : children) {
                     if (SchemaKey(*child) == key)
                       return Walk(value, *child, Join(path, key), mark);
                   }
                   std::vector<std::string> names;
                   names.reserve(children.size());
                   for (const SchemaEntry* child : children) names.emplace_back(SchemaKey(*child));
                   std::string message = "unknown key";
                   if (std::optional<std::string> close = ClosestMatch(key, names)) {
                     message += "; did you mean \"" + *close + "\"?";
                   }
                   sink_.Add(mark, Join(path, key), message);
                 });
    }
    const YAML::Mark where = node.IsMap() ? node.Mark() : YAML::Mark();
    for (const SchemaEntry* child : children) {
      const std::string key(SchemaKey(*child));
      if (child->required && std::find(seen.begin(), seen.end(), key) == seen.end()) {
        sink_.Add(where.line < 0 ? key_mark : where, Join(path, key), "required key is missing");
      }
    }
  }

  void WalkJobs(const YAML::Node& node, const SchemaEntry& entry, const std::string& path,
                const YAML::Mark& key_mark) {
    if (!node.IsMap()) {
      sink_.Add(Where(node, key_mark), path, "expected a mapping");
      return;
    }
    if (node.size() == 0) {
      sink_.Add(Where(node, key_mark), path, "at least one job is required");
      return;
    }
    const SchemaEntry* item = FindSchemaEntry(entry.path + ".*");
    ForEachKey(
        node, path, [&](const std::string& name, const YAML::Mark& mark, const YAML::Node& value) {
          if (!IsValidJobName(name)) {
            sink_.Add(
                mark, Join(path, name),
                "invalid job name \"" + name +
                    "\": use 1-63 lowercase letters, digits, \"-\" and \"_\", starting with a "
                    "letter or digit");
          }
          Walk(value, *item, Join(path, name), mark);
        });
  }

  void WalkMappingList(const YAML::Node& node, const SchemaEntry& entry, const std::string& path,
                       const YAML::Mark& key_mark) {
    if (!node.IsSequence()) {
      sink_.Add(Where(node, key_mark), path, "expected a list");
      return;
    }
    const SchemaEntry* item = FindSchemaEntry(entry.path + "[]");
    for (std::size_t i = 0; i < node.size(); ++i) {
      Walk(node[i], *item, path + "[" + std::to_string(i) + "]", Where(node, key_mark));
    }
  }

  void WalkStringList(const YAML::Node& node, const SchemaEntry& entry, const std::string& path,
                      const YAML::Mark& key_mark) {
    if (!node.IsSequence()) {
      sink_.Add(Where(node, key_mark), path, "expected a list");
      return;
    }
    // An optional list of paths may be empty (`freeze: []` freezes nothing); `paths` may not.
    if (node.size() == 0 && entry.kind == ValueKind::kPathList && entry.required) {
      sink_.Add(Where(node, key_mark), path, "expected at least one path");
    }
    if (node.size() == 0 && entry.kind == ValueKind::kArgv) {
      sink_.Add(Where(node, key_mark), path, "expected at least the program to run");
    }
    std::map<std::string, std::size_t> first_index;  // normalized path -> index
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!item.IsScalar()) {
        sink_.Add(Where(item, node.Mark()), item_path, "expected a string");
        continue;
      }
      const std::string& text = item.Scalar();
      if (entry.kind == ValueKind::kChoiceList) {
        CheckChoiceItem(entry, item, item_path, first_index, i);
        continue;
      }
      const bool needs_absolute =
          entry.kind == ValueKind::kPathList || (entry.kind == ValueKind::kArgv && i == 0);
      if (!needs_absolute) continue;
      Result<std::string> normalized = NormalizePath(text);
      if (!normalized.ok()) {
        std::string message = normalized.status().message();
        if (entry.kind == ValueKind::kArgv) message += "; hooks do not search PATH";
        sink_.Add(item.Mark(), item_path, message);
        continue;
      }
      if (entry.kind != ValueKind::kPathList) continue;
      auto [it, inserted] = first_index.emplace(*normalized, i);
      if (!inserted) {
        const std::string key(SchemaKey(entry));
        sink_.Add(item.Mark(), item_path,
                  "duplicate path \"" + *normalized + "\" (also " + key + "[" +
                      std::to_string(it->second) + "])");
      }
    }
  }

  // One item of a kChoiceList: one of the choices, each listed once.
  void CheckChoiceItem(const SchemaEntry& entry, const YAML::Node& item,
                       const std::string& item_path, std::map<std::string, std::size_t>& seen,
                       std::size_t index) {
    if (std::optional<ValueProblem> problem = CheckScalar(entry, item.Scalar())) {
      sink_.Add(item.Mark(), item_path, problem->message);
      return;
    }
    auto [it, inserted] = seen.emplace(item.Scalar(), index);
    if (!inserted) {
      sink_.Add(item.Mark(), item_path,
                "\"" + item.Scalar() + "\" is already listed (" + std::string(SchemaKey(entry)) +
                    "[" + std::to_string(it->second) + "])");
    }
  }

  void WalkScalar(const YAML::Node& node, const SchemaEntry& entry, const std::string& path,
                  const YAML::Mark& key_mark) {
    if (node.IsNull()) {
      sink_.Add(key_mark, path, "missing value");
      return;
    }
    if (!node.IsScalar()) {
      sink_.Add(node.Mark(), path, ExpectedScalar(entry.kind));
      return;
    }
    std::optional<ValueProblem> problem = CheckScalar(entry, node.Scalar());
    if (!problem) return;
    // Columns inside the value are counted from its first character, after any quote.
    const YAML::Mark mark = node.Mark();
    const std::string_view line = sink_.Line(mark.line + 1);
    const bool quoted = mark.column >= 0 && static_cast<std::size_t>(mark.column) < line.size() &&
                        (line[mark.column] == '"' || line[mark.column] == '\'');
    sink_.Add(mark, path, problem->message, problem->offset + (quoted ? 1 : 0));
  }

  static std::string ExpectedScalar(ValueKind kind) {
    switch (kind) {
      case ValueKind::kVersion:
      case ValueKind::kCount:
      case ValueKind::kPositiveCount:
        return "expected an integer";
      case ValueKind::kBool:
        return "expected true or false";
      case ValueKind::kDuration:
      case ValueKind::kDelay:
        return "expected a duration such as \"30s\"";
      default:
        return "expected a string";
    }
  }

  DiagnosticSink& sink_;
};

}  // namespace

std::optional<YAML::Node> FindKey(const YAML::Node& node, std::string_view key) {
  if (!node.IsMap()) return std::nullopt;
  for (const auto& pair : node) {
    if (pair.first.IsScalar() && pair.first.Scalar() == key) return pair.second;
  }
  return std::nullopt;
}

void CheckAgainstSchema(const YAML::Node& root, DiagnosticSink& sink) {
  SchemaWalker(sink).WalkRoot(root);
}

}  // namespace guestbackup::policy
