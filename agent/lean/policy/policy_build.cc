// Building the Policy from a tree both checking passes accepted: values are converted without
// further checks, and `defaults` are applied into each job field by field.
#include <optional>
#include <string>

#include "lean/policy/duration.h"
#include "lean/policy/policy_passes.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {
namespace {

constexpr std::chrono::milliseconds kDefaultHookTimeout = std::chrono::minutes(5);

std::string String(const YAML::Node& map, std::string_view key, std::string fallback = "") {
  const std::optional<YAML::Node> value = FindKey(map, key);
  return value && value->IsScalar() ? value->Scalar() : fallback;
}

std::vector<std::string> Strings(const YAML::Node& map, std::string_view key) {
  std::vector<std::string> out;
  const std::optional<YAML::Node> list = FindKey(map, key);
  if (!list || !list->IsSequence()) return out;
  for (const auto& item : *list) out.push_back(item.Scalar());
  return out;
}

std::optional<std::chrono::milliseconds> Duration(const YAML::Node& map, std::string_view key) {
  const std::optional<YAML::Node> value = FindKey(map, key);
  if (!value) return std::nullopt;
  Result<std::chrono::milliseconds> duration = ParseDuration(value->Scalar());
  return duration.ok() ? std::optional(*duration) : std::nullopt;
}

Mark MarkOf(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

// Fields set in `map`'s retention replace those of `base`.
RetentionSpec Retention(const YAML::Node& map, RetentionSpec base) {
  const std::optional<YAML::Node> retention = FindKey(map, "retention");
  if (!retention) return base;
  std::pair<const char*, std::optional<int>*> fields[] = {
      {"keep_latest", &base.keep_latest},   {"keep_hourly", &base.keep_hourly},
      {"keep_daily", &base.keep_daily},     {"keep_weekly", &base.keep_weekly},
      {"keep_monthly", &base.keep_monthly}, {"keep_annual", &base.keep_annual},
  };
  for (auto& [key, field] : fields) {
    const std::optional<YAML::Node> value = FindKey(*retention, key);
    if (value) *field = static_cast<int>(ParseInteger(value->Scalar()).value_or(0));
  }
  return base;
}

// Fields set in `map`'s `notifications.webhook` replace those of `base`.
WebhookSpec Webhook(const YAML::Node& map, WebhookSpec base) {
  const std::optional<YAML::Node> notifications = FindKey(map, "notifications");
  if (!notifications) return base;
  const std::optional<YAML::Node> webhook = FindKey(*notifications, "webhook");
  if (!webhook) return base;
  base.url = String(*webhook, "url", base.url);
  if (FindKey(*webhook, "events")) base.events = Strings(*webhook, "events");
  base.timeout = Duration(*webhook, "timeout").value_or(base.timeout);
  if (const std::optional<YAML::Node> retries = FindKey(*webhook, "retries")) {
    base.retries = static_cast<int>(ParseInteger(retries->Scalar()).value_or(base.retries));
  }
  if (FindKey(*webhook, "ca_file")) base.ca_file = *NormalizePath(String(*webhook, "ca_file"));
  return base;
}

struct Defaults {
  std::string compression;
  RetentionSpec retention;
  std::chrono::milliseconds hook_timeout = kDefaultHookTimeout;
  WebhookSpec webhook;  // the global `notifications.webhook`
};

std::vector<HookSpec> Hooks(const YAML::Node& hooks, std::string_view list_key,
                            const Defaults& defaults) {
  std::vector<HookSpec> out;
  const std::optional<YAML::Node> list = FindKey(hooks, list_key);
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const YAML::Node item = (*list)[i];
    HookSpec hook;
    hook.name = String(item, "name", std::string(list_key) + "[" + std::to_string(i) + "]");
    if (FindKey(item, "shell")) {
      hook.argv = {"/bin/sh", "-c", String(item, "shell")};
      hook.via_shell = true;
    } else {
      hook.argv = Strings(item, "run");
    }
    hook.timeout = Duration(item, "timeout").value_or(defaults.hook_timeout);
    hook.on_failure = String(item, "on_failure") == "continue" ? HookFailureMode::kContinue
                                                               : HookFailureMode::kAbort;
    hook.mark = MarkOf(item.Mark());
    out.push_back(std::move(hook));
  }
  return out;
}

JobSpec Job(const std::string& name, const YAML::Mark& mark, const YAML::Node& node,
            const Defaults& defaults) {
  JobSpec job;
  job.name = name;
  job.mark = MarkOf(mark);
  for (const std::string& path : Strings(node, "paths")) {
    Result<std::string> normalized = NormalizePath(path);
    job.paths.push_back(normalized.ok() ? *normalized : path);
  }
  job.exclude = Strings(node, "exclude");
  job.schedule = String(node, "schedule");
  job.randomized_delay = std::chrono::duration_cast<std::chrono::seconds>(
      Duration(node, "randomized_delay").value_or(std::chrono::milliseconds(0)));
  job.catch_up = ParseBool(String(node, "catch_up", "true")).value_or(true);
  job.compression = String(node, "compression", defaults.compression);
  job.retention = Retention(node, defaults.retention);
  if (const std::optional<YAML::Node> hooks = FindKey(node, "hooks")) {
    job.hooks.before = Hooks(*hooks, "before", defaults);
    job.hooks.after = Hooks(*hooks, "after", defaults);
  }
  job.webhook = Webhook(node, defaults.webhook);
  return job;
}

}  // namespace

Policy BuildPolicy(const YAML::Node& root, const std::string& source_path) {
  Policy policy;
  policy.source_path = source_path;
  policy.version = static_cast<int>(ParseInteger(String(root, "version", "1")).value_or(1));
  policy.kopia_path = String(root, "kopia");
  policy.state_dir = String(root, "state_dir");
  if (!policy.kopia_path.empty()) policy.kopia_path = *NormalizePath(policy.kopia_path);
  if (!policy.state_dir.empty()) policy.state_dir = *NormalizePath(policy.state_dir);

  if (const std::optional<YAML::Node> server = FindKey(root, "server")) {
    ServerSpec& s = policy.server;
    s.url = String(*server, "url");
    s.fingerprint = NormalizeFingerprint(String(*server, "fingerprint"));
    s.ca_file = String(*server, "ca_file");
    s.username = String(*server, "username");
    s.hostname = String(*server, "hostname");
    s.password_file = String(*server, "password_file");
    s.service = String(*server, "service");
  }

  if (const std::optional<YAML::Node> daemon = FindKey(root, "daemon")) {
    const std::string max_parallel = String(*daemon, "max_parallel", "1");
    policy.daemon.max_parallel = static_cast<int>(ParseInteger(max_parallel).value_or(1));
    policy.daemon.shutdown_grace =
        Duration(*daemon, "shutdown_grace").value_or(policy.daemon.shutdown_grace);
  }
  if (const std::optional<YAML::Node> metrics = FindKey(root, "metrics")) {
    const std::string textfile = String(*metrics, "textfile");
    if (!textfile.empty()) policy.metrics.textfile = *NormalizePath(textfile);
  }
  policy.webhook = Webhook(root, WebhookSpec{});

  Defaults defaults;
  defaults.webhook = policy.webhook;
  if (const std::optional<YAML::Node> node = FindKey(root, "defaults")) {
    defaults.compression = String(*node, "compression");
    defaults.retention = Retention(*node, {});
    defaults.hook_timeout = Duration(*node, "hook_timeout").value_or(kDefaultHookTimeout);
  }
  if (const std::optional<YAML::Node> jobs = FindKey(root, "jobs")) {
    for (const auto& pair : *jobs) {
      policy.jobs.push_back(Job(pair.first.Scalar(), pair.first.Mark(), pair.second, defaults));
    }
  }
  return policy;
}

}  // namespace guestbackup::policy
