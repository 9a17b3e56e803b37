// The schema table builds the policy: every entry is bound, every key set in a file reaches
// its field, and every documented default is the value a policy without the key gets — a
// literal one, one inherited from another key, or "unset" for kopia's own.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "lean/context/agent_context.h"
#include "lean/policy/policy_loader.h"
#include "lean/policy/policy_schema.h"
#include "support/environment.h"

namespace guestbackup::policy {
namespace {

// Every mapping once, so each key can be set alone: a job `j` with one hook of each list, a
// global webhook (a job's webhook keys need a URL to inherit) and one bandwidth window each
// (a window's rates need the `when` it requires).
constexpr const char* kBase = R"(version: 1
notifications:
  webhook:
    url: https://hc.example.org/ping
bandwidth:
  windows:
    - when: Sat
jobs:
  j:
    paths: [/srv]
    bandwidth:
      windows:
        - when: Sun
    hooks:
      before:
        - run: [/bin/true]
      after:
        - run: [/bin/false]
application_quiesce:
  before:
    - run: [/bin/true]
  after:
    - run: [/bin/false]
)";

bool IsItem(const SchemaEntry& entry) {
  return entry.path.ends_with(".*") || entry.path.ends_with("[]");
}

bool IsLeaf(const SchemaEntry& entry) {
  switch (entry.kind) {
    case ValueKind::kMapping:
    case ValueKind::kNamedMappings:
    case ValueKind::kMappingList:
      return false;
    default:
      return true;
  }
}

// "jobs.*.hooks.before[].timeout" -> "jobs", "jobs.*", "jobs.*.hooks", "jobs.*.hooks.before",
// "jobs.*.hooks.before[]": the entries above it, outermost first.
std::vector<std::string> Ancestors(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    std::string prefix;
    if (path.compare(i, 2, "[]") == 0) {
      out.push_back(path.substr(0, i));  // the list, then its item
      prefix = path.substr(0, i + 2);
    } else if (path[i] == '.') {
      prefix = path.substr(0, i);
    }
    if (!prefix.empty() && (out.empty() || out.back() != prefix)) out.push_back(prefix);
  }
  if (!out.empty() && out.back() == path) out.pop_back();
  return out;
}

// The field of `entry` in a built policy: the first job, the first hook of a list.
std::string Read(Policy& policy, const SchemaEntry& entry) {
  Target target = &policy;
  for (const std::string& ancestor : Ancestors(entry.path)) {
    const SchemaEntry* up = FindSchemaEntry(ancestor);
    EXPECT_NE(up, nullptr) << ancestor;
    if (up == nullptr) return "?";
    if (IsItem(*up)) {
      const std::optional<Target> first = up->bind.at(target, 0);
      if (!first) return "(no element)";
      target = *first;
    } else {
      target = up->bind.enter(target);
    }
  }
  return entry.bind.show(target);
}

// `base` with the key of pattern `path` set to `value` (job `j`, list item 0).
std::string With(const std::string& base, const std::string& path, const std::string& value) {
  YAML::Node root = YAML::Load(base);
  std::vector<std::string> keys;
  std::string key;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '.') {
      keys.push_back(key == "*" ? "j" : key);
      key.clear();
    } else {
      key.push_back(path[i]);
    }
  }
  // yaml-cpp nodes are handles: walk with a vector of them, assigning at the end.
  std::vector<YAML::Node> nodes = {root};
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    std::string k = keys[i];
    const bool item = k.ends_with("[]");
    if (item) k.resize(k.size() - 2);
    YAML::Node next = nodes.back()[k];
    nodes.push_back(item ? next[0] : next);
  }
  std::string last = keys.back();
  if (last == "shell") nodes.back().remove("run");  // `run` and `shell` are alternatives
  nodes.back()[last] = YAML::Load(value);
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

Policy Load(const std::string& text) {
  LoadResult loaded = LoadPolicyText(text, "policy.yaml");
  std::string problems;
  for (const Diagnostic& d : loaded.diagnostics) problems += FormatDiagnostic(d) + "\n";
  EXPECT_TRUE(loaded.policy.has_value()) << problems << "in:\n" << text;
  return loaded.policy.value_or(Policy{});
}

// Where things stood in the file moves when a key is added; the values must not.
Policy WithoutMarks(Policy policy) {
  for (JobSpec& job : policy.jobs) {
    job.mark = {};
    for (HookSpec& hook : job.hooks.before) hook.mark = {};
    for (HookSpec& hook : job.hooks.after) hook.mark = {};
  }
  for (HookSpec& hook : policy.application_quiesce.before) hook.mark = {};
  for (HookSpec& hook : policy.application_quiesce.after) hook.mark = {};
  return policy;
}

// An example as the field shows it: a scalar's text, a list as "[a, b]".
std::string Canonical(const std::string& example) {
  const YAML::Node node = YAML::Load(example);
  if (!node.IsSequence()) return node.Scalar();
  std::string text = "[";
  for (const auto& item : node) text += (text.size() > 1 ? ", " : "") + item.Scalar();
  return text + "]";
}

// "`defaults.hook_timeout`" -> the entry it names; nullptr for prose.
const SchemaEntry* Reference(const SchemaEntry& entry) {
  const std::string& text = entry.default_text;
  if (text.size() < 3 || text.front() != '`' || text.back() != '`') return nullptr;
  const std::string inner = text.substr(1, text.size() - 2);
  if (inner.find('`') != std::string::npos) return nullptr;
  return FindSchemaEntry(inner);
}

TEST(PolicySchemaBinding, EveryEntryIsBound) {
  for (const SchemaEntry& entry : PolicySchema()) {
    if (IsItem(entry)) {
      EXPECT_TRUE(entry.bind.add && entry.bind.at) << entry.path << ": an item needs add and at";
    } else if (IsLeaf(entry)) {
      EXPECT_TRUE(entry.bind.set && entry.bind.show) << entry.path << ": a leaf needs set, show";
    } else {
      EXPECT_TRUE(entry.bind.enter) << entry.path << ": a mapping needs enter";
    }
  }
}

TEST(PolicySchemaBinding, EveryKeySetInTheFileReachesItsField) {
  for (const SchemaEntry& entry : PolicySchema()) {
    if (!IsLeaf(entry)) continue;
    ASSERT_FALSE(entry.example.empty()) << entry.path;
    Policy policy = Load(With(kBase, entry.path, entry.example));
    EXPECT_EQ(Read(policy, entry), Canonical(entry.example)) << entry.path;
  }
}

TEST(PolicySchemaBinding, EveryDocumentedDefaultIsTheAppliedOne) {
  Policy base = Load(kBase);
  int literal = 0;
  int inherited = 0;
  int unset = 0;
  for (const SchemaEntry& entry : PolicySchema()) {
    if (!IsLeaf(entry) || entry.default_text.empty()) continue;
    const std::string applied = Read(base, entry);
    if (const SchemaEntry* from = Reference(entry)) {
      // Inherited: the same as the key it names, also when that key is set.
      ++inherited;
      EXPECT_EQ(applied, Read(base, *from)) << entry.path << " vs " << from->path;
      Policy set = Load(With(kBase, from->path, entry.example));
      EXPECT_EQ(Read(set, entry), Canonical(entry.example)) << entry.path << " from " << from->path;
    } else if (entry.default_text == entry.bind.struct_default) {
      // Literal: what a policy without the key holds, and writing it out changes nothing.
      ++literal;
      EXPECT_EQ(applied, entry.default_text) << entry.path;
      EXPECT_TRUE(WithoutMarks(Load(With(kBase, entry.path, entry.default_text))) ==
                  WithoutMarks(base))
          << entry.path << ": writing the default " << entry.default_text << " changed the policy";
    } else if (const std::size_t on = entry.default_text.find("` on Windows, `");
               on != std::string::npos) {
      // Per system ("`when-available` on Windows, `none` elsewhere"): this system's.
      const std::string windows = entry.default_text.substr(1, on - 1);
      const std::size_t other = on + std::string_view("` on Windows, `").size();
      const std::string elsewhere =
          entry.default_text.substr(other, entry.default_text.find('`', other) - other);
      EXPECT_EQ(applied, kHasVolumeShadowCopies ? windows : elsewhere) << entry.path;
    } else if (entry.default_text.starts_with("`before[0]`")) {
      EXPECT_EQ(
          applied,
          std::string(SchemaKey(*FindSchemaEntry(
              Ancestors(entry.path).back().substr(0, Ancestors(entry.path).back().size() - 2)))) +
              "[0]")
          << entry.path;
    } else {
      // Prose ("kopia's value", "found on PATH", "manual only"): the field is left unset.
      ++unset;
      EXPECT_EQ(applied, "") << entry.path << " (default: " << entry.default_text << ")";
    }
  }
  // The table has all three kinds; a change that loses one shows here.
  EXPECT_GE(literal, 8);
  EXPECT_GE(inherited, 10);
  EXPECT_GE(unset, 8);
}

// The state directory's documented default is applied after loading (flags and the
// environment come first): the table names the constant the resolver uses.
TEST(PolicySchemaBinding, TheStateDirectoryDefaultIsTheResolvedOne) {
  testing::UnsetEnv("GUESTBACKUP_STATE_DIR");
  const Policy base = Load(kBase);
  EXPECT_EQ(FindSchemaEntry("state_dir")->default_text,
            context::ResolveStateDir(context::AgentOptions{}, base));
}

}  // namespace
}  // namespace guestbackup::policy
