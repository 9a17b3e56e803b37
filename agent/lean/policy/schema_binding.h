// How a schema entry reaches into the Policy: the struct its mapping's keys go into, how its
// value is stored there, and how the stored value reads back as policy text. The table
// (policy_schema.cc) gives each entry its binding; the builder (policy_build.cc) only walks.
// Private to the policy area.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lean/policy/policy.h"

namespace guestbackup::policy {

struct SchemaEntry;

// The struct of the mapping being built (or read back).
using Target = std::variant<Policy*, ServerSpec*, DefaultsSpec*, RetentionSpec*, JobSpec*,
                            HooksSpec*, HookSpec*, WebhookSpec*, DaemonSpec*, HistorySpec*,
                            MetricsSpec*, BandwidthSpec*, BandwidthWindowSpec*>;

// What a new element of a collection (a job, a hook) starts from.
struct ItemContext {
  const Policy& policy;   // with every key but the collections' applied
  std::string_view name;  // the job's name, or the list's key ("before")
  std::size_t index = 0;  // position in the list (or among the jobs)
  Mark mark;              // of the job's key, or of the list item
};

struct Binding {
  // Leaves: stores the (already checked) value into the target's field.
  std::function<void(const Target&, const SchemaEntry&, const YAML::Node&)> set;
  // Leaves: the field's value as policy text ("5m", "[/etc]", "" when unset).
  std::function<std::string(const Target&)> show;
  // The field's value in a default-constructed struct: what the docs call its default.
  std::string struct_default;
  // Mappings: the struct their keys go into.
  std::function<Target(const Target&)> enter;
  // Items of a collection ("jobs.*", "…before[]"): a new element, initialised from the
  // policy's defaults; `at` reads element i back from a built policy (nullopt past the end).
  std::function<Target(const Target&, const ItemContext&)> add;
  std::function<std::optional<Target>(const Target&, std::size_t)> at;
  // Lists whose items, when the list is given, replace the ones the struct started with (a
  // job's `bandwidth.windows`): empties the list first. Unset: items are added.
  std::function<void(const Target&)> replace;
};

// Conversions between checked YAML values and field types.
std::string StoredString(const SchemaEntry& entry, const YAML::Node& value);
std::vector<std::string> StoredStrings(const SchemaEntry& entry, const YAML::Node& value);
int StoredInt(const YAML::Node& value);
bool StoredBool(const YAML::Node& value);
std::chrono::milliseconds StoredDuration(const YAML::Node& value);

std::string Shown(const std::string& value);
std::string Shown(const std::vector<std::string>& value);
std::string Shown(int value);
std::string Shown(const std::optional<int>& value);
std::string Shown(bool value);
std::string Shown(std::chrono::milliseconds value);
std::string Shown(std::chrono::seconds value);

namespace binding_detail {
template <typename V>
V Stored(const SchemaEntry& entry, const YAML::Node& value) {
  if constexpr (std::is_same_v<V, std::string>) {
    return StoredString(entry, value);
  } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
    return StoredStrings(entry, value);
  } else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, std::optional<int>>) {
    return StoredInt(value);
  } else if constexpr (std::is_same_v<V, bool>) {
    return StoredBool(value);
  } else if constexpr (std::is_same_v<V, std::chrono::milliseconds>) {
    return StoredDuration(value);
  } else {
    static_assert(std::is_same_v<V, std::chrono::seconds>, "no conversion for this field type");
    return std::chrono::duration_cast<std::chrono::seconds>(StoredDuration(value));
  }
}
}  // namespace binding_detail

// A leaf stored in `member` of T.
template <typename T, typename V>
Binding Field(V T::*member) {
  Binding b;
  b.set = [member](const Target& target, const SchemaEntry& entry, const YAML::Node& value) {
    std::get<T*>(target)->*member = binding_detail::Stored<V>(entry, value);
  };
  b.show = [member](const Target& target) { return Shown(std::get<T*>(target)->*member); };
  b.struct_default = Shown(T{}.*member);
  return b;
}

// A leaf with its own conversion (hooks' `run`/`shell`, `on_failure`).
template <typename T>
Binding Custom(std::function<void(T&, const SchemaEntry&, const YAML::Node&)> set,
               std::function<std::string(const T&)> show) {
  Binding b;
  b.struct_default = show(T{});
  b.set = [set = std::move(set)](const Target& target, const SchemaEntry& entry,
                                 const YAML::Node& value) {
    set(*std::get<T*>(target), entry, value);
  };
  b.show = [show = std::move(show)](const Target& target) { return show(*std::get<T*>(target)); };
  return b;
}

// A mapping stored in `member` of T.
template <typename T, typename C>
Binding Struct(C T::*member) {
  Binding b;
  b.enter = [member](const Target& target) -> Target { return &(std::get<T*>(target)->*member); };
  return b;
}

// A mapping whose keys go into the same struct as its parent's (`notifications.webhook`).
inline Binding SameStruct() {
  Binding b;
  b.enter = [](const Target& target) { return target; };
  return b;
}

// Items of the list `member` of T, each started by `make`.
template <typename T, typename Item>
Binding Items(std::vector<Item> T::*member, std::function<Item(const ItemContext&)> make) {
  Binding b;
  b.add = [member, make = std::move(make)](const Target& target,
                                           const ItemContext& item) -> Target {
    std::vector<Item>& list = std::get<T*>(target)->*member;
    list.push_back(make(item));
    return &list.back();
  };
  b.at = [member](const Target& target, std::size_t i) -> std::optional<Target> {
    std::vector<Item>& list = std::get<T*>(target)->*member;
    if (i >= list.size()) return std::nullopt;
    return Target(&list[i]);
  };
  return b;
}

}  // namespace guestbackup::policy
