// Building the Policy from a tree both checking passes accepted, by walking the schema table:
// each present key's binding stores its value, each mapping's binding says where its keys go.
// No key name is written here, so a key in the table cannot be validated and then ignored.
#include <optional>
#include <string>
#include <vector>

#include "lean/policy/policy_passes.h"
#include "lean/policy/policy_schema.h"

namespace guestbackup::policy {
namespace {

Mark MarkOf(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

bool IsCollection(const SchemaEntry& entry) {
  return entry.kind == ValueKind::kNamedMappings || entry.kind == ValueKind::kMappingList;
}

class Builder {
 public:
  explicit Builder(Policy& policy) : policy_(policy) {}

  // The keys of `node` (a mapping described by `pattern`) into `target`. Collections come
  // last, so that a job starts from `defaults` and the global webhook wherever they stand in
  // the file.
  void Mapping(const YAML::Node& node, const std::string& pattern, const Target& target) {
    const std::vector<const SchemaEntry*> children = SchemaChildren(pattern);
    for (const bool collections : {false, true}) {
      for (const SchemaEntry* child : children) {
        if (IsCollection(*child) != collections) continue;
        const std::optional<YAML::Node> value = FindKey(node, SchemaKey(*child));
        if (value) Value(*value, *child, target);
      }
    }
  }

 private:
  void Value(const YAML::Node& value, const SchemaEntry& entry, const Target& target) {
    switch (entry.kind) {
      case ValueKind::kMapping:
        Mapping(value, entry.path, entry.bind.enter(target));
        return;
      case ValueKind::kNamedMappings: {
        const SchemaEntry& item = *FindSchemaEntry(entry.path + ".*");
        const Target into = entry.bind.enter(target);
        std::size_t index = 0;
        for (const auto& pair : value) {
          const ItemContext context{policy_, pair.first.Scalar(), index++,
                                    MarkOf(pair.first.Mark())};
          Mapping(pair.second, item.path, item.bind.add(into, context));
        }
        return;
      }
      case ValueKind::kMappingList: {
        const SchemaEntry& item = *FindSchemaEntry(entry.path + "[]");
        const Target into = entry.bind.enter(target);
        if (item.bind.replace) item.bind.replace(into);
        const std::string key(SchemaKey(entry));
        for (std::size_t i = 0; i < value.size(); ++i) {
          const ItemContext context{policy_, key, i, MarkOf(value[i].Mark())};
          Mapping(value[i], item.path, item.bind.add(into, context));
        }
        return;
      }
      default:
        entry.bind.set(target, entry, value);
        return;
    }
  }

  Policy& policy_;
};

}  // namespace

Policy BuildPolicy(const YAML::Node& root, const std::string& source_path) {
  Policy policy;
  policy.source_path = source_path;
  Builder(policy).Mapping(root, "", Target(&policy));
  return policy;
}

}  // namespace guestbackup::policy
