// Private to the loader: the passes over the parsed YAML tree. Each adds what it finds to the
// sink and never throws.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "lean/policy/diagnostic_sink.h"
#include "lean/policy/policy.h"

namespace guestbackup::policy {

// Pass 0, on the text before any tree is built: aliases, values, nesting and documents within
// budget (policy_budget.cc). A tree is built only when this pass found nothing.
void CheckBudget(std::string_view text, DiagnosticSink& sink);

// Pass 1: every key known, no duplicates, required keys present, each value of the right type
// and valid on its own (policy_validate.cc).
void CheckAgainstSchema(const YAML::Node& root, DiagnosticSink& sink);

// Pass 2: rules that involve several keys, e.g. a server URL needs credentials, hook names are
// unique within a job (policy_cross_checks.cc).
void CheckCrossFieldRules(const YAML::Node& root, DiagnosticSink& sink);

// Pass 3, only when asked (LoadOptions::check_local_files): the files the policy names exist
// on this machine and pass the rules a run applies (policy_local_files.cc).
void CheckLocalFiles(const YAML::Node& root, DiagnosticSink& sink);

// Builds the policy with defaults applied. Only for a tree both passes accepted
// (policy_build.cc).
Policy BuildPolicy(const YAML::Node& root, const std::string& source_path);

// The value of the first `key` in mapping `node`; nullopt when there is none.
std::optional<YAML::Node> FindKey(const YAML::Node& node, std::string_view key);

}  // namespace guestbackup::policy
