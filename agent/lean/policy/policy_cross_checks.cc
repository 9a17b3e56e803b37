// Pass 2: rules across keys. Values of the wrong type were reported by pass 1 and are skipped
// here, so each problem is reported once.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "lean/policy/local_path.h"
#include "lean/policy/policy_passes.h"

namespace guestbackup::policy {
namespace {

bool HasValue(const std::optional<YAML::Node>& node) {
  return node && node->IsScalar() && !node->Scalar().empty();
}

void CheckHooks(const YAML::Node& hooks, const std::string& hooks_path, DiagnosticSink& sink) {
  std::map<std::string, std::string> used;  // hook name -> where it was first given
  for (const char* list_key : {"before", "after"}) {
    const std::optional<YAML::Node> list = FindKey(hooks, list_key);
    if (!list || !list->IsSequence()) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const YAML::Node hook = (*list)[i];
      if (!hook.IsMap()) continue;
      const std::string where = std::string(list_key) + "[" + std::to_string(i) + "]";
      const std::string path = hooks_path + "." + where;
      const bool has_run = FindKey(hook, "run").has_value();
      const bool has_shell = FindKey(hook, "shell").has_value();
      if (has_run && has_shell) {
        sink.Add(hook.Mark(), path, "give either \"run\" or \"shell\", not both");
      } else if (!has_run && !has_shell) {
        sink.Add(hook.Mark(), path,
                 "a hook needs \"run\" (a program and its arguments) or \"shell\" (a command "
                 "line)");
      }
      const std::optional<YAML::Node> name = FindKey(hook, "name");
      if (!HasValue(name)) continue;
      auto [it, inserted] = used.emplace(name->Scalar(), "hooks." + where);
      if (!inserted) {
        sink.Add(name->Mark(), path + ".name",
                 "hook name \"" + name->Scalar() + "\" is already used by " + it->second);
      }
    }
  }
}

std::optional<YAML::Node> WebhookOf(const YAML::Node& map) {
  const std::optional<YAML::Node> notifications = FindKey(map, "notifications");
  if (!notifications || !notifications->IsMap()) return std::nullopt;
  std::optional<YAML::Node> webhook = FindKey(*notifications, "webhook");
  if (!webhook || !webhook->IsMap()) return std::nullopt;
  return webhook;
}

// A webhook's other fields are of no use without a URL, here or inherited from the global one.
void CheckWebhook(const std::optional<YAML::Node>& webhook, bool url_inherited,
                  const std::string& path, DiagnosticSink& sink) {
  if (!webhook || url_inherited || FindKey(*webhook, "url")) return;
  sink.Add(webhook->Mark(), path + ".url", "required: the webhook has no URL to call");
}

// `vss` insists on a shadow copy, and only Windows makes them: refuse it where every run would
// fail. (`when-available` is accepted anywhere: there is simply none available.)
void CheckSnapshotMode(const YAML::Node& map, const std::string& map_path, DiagnosticSink& sink) {
  if (kHasVolumeShadowCopies) return;
  const std::optional<YAML::Node> mode = FindKey(map, "snapshot");
  if (!mode || !mode->IsScalar() || mode->Scalar() != "vss") return;
  sink.Add(mode->Mark(), map_path + ".snapshot",
           "volume shadow copies exist on Windows only; use \"none\" here");
}

// `freeze`: never the root file system (everything, this agent too, would wait on it), only
// where the job backs something up, and only where FIFREEZE exists. That each entry is a mount
// point, and not the state directory's file system, is checked when the job runs
// (full/freeze): the file systems are the machine's, not the file's.
void CheckFreeze(const YAML::Node& job, const std::string& job_path, DiagnosticSink& sink) {
  const std::optional<YAML::Node> freeze = FindKey(job, "freeze");
  if (!freeze || !freeze->IsSequence()) return;
  if (!kCanFreezeFileSystems) {
    sink.Add(freeze->Mark(), job_path + ".freeze",
             "freezing file systems is for Linux guests; on Windows, `snapshot: vss` gives a "
             "consistent copy");
    return;
  }
  std::vector<std::string> paths;
  if (const std::optional<YAML::Node> list = FindKey(job, "paths"); list && list->IsSequence()) {
    for (const YAML::Node& item : *list) {
      if (!item.IsScalar()) continue;
      if (Result<std::string> path = NormalizePath(item.Scalar()); path.ok()) {
        paths.push_back(*path);
      }
    }
  }
  for (std::size_t i = 0; i < freeze->size(); ++i) {
    const YAML::Node item = (*freeze)[i];
    if (!item.IsScalar()) continue;
    const Result<std::string> normalized = NormalizePath(item.Scalar());
    if (!normalized.ok()) continue;  // reported by pass 1
    const std::string& mount = *normalized;
    const std::string where = job_path + ".freeze[" + std::to_string(i) + "]";
    if (mount == "/") {
      sink.Add(item.Mark(), where,
               "the root file system cannot be frozen: every process, this agent too, would "
               "wait on it");
      continue;
    }
    const bool holds_a_path = std::any_of(paths.begin(), paths.end(), [&](const std::string& p) {
      return PathIsWithin(p, mount) || PathIsWithin(mount, p);
    });
    if (!holds_a_path && !paths.empty()) {
      sink.Add(
          item.Mark(), where,
          "\"" + mount + "\" holds none of the job's paths: freezing it keeps no copy consistent");
    }
  }
}

}  // namespace

// The `server` keys have no rule across them here: discovery may supply any of them, so what a
// connection needs is checked after discovery (full/discovery), naming the sources it tried.
void CheckCrossFieldRules(const YAML::Node& root, DiagnosticSink& sink) {
  const std::optional<YAML::Node> global_webhook = WebhookOf(root);
  CheckWebhook(global_webhook, false, "notifications.webhook", sink);
  const bool global_url = global_webhook && FindKey(*global_webhook, "url");
  if (const std::optional<YAML::Node> quiesce = FindKey(root, "application_quiesce");
      quiesce && quiesce->IsMap()) {
    CheckHooks(*quiesce, "application_quiesce", sink);
  }
  const std::optional<YAML::Node> defaults = FindKey(root, "defaults");
  if (defaults && defaults->IsMap()) CheckSnapshotMode(*defaults, "defaults", sink);
  const std::optional<YAML::Node> jobs = FindKey(root, "jobs");
  if (!jobs || !jobs->IsMap()) return;
  for (const auto& job : *jobs) {
    if (!job.first.IsScalar()) continue;
    CheckWebhook(WebhookOf(job.second), global_url,
                 "jobs." + job.first.Scalar() + ".notifications.webhook", sink);
    const std::optional<YAML::Node> hooks = FindKey(job.second, "hooks");
    if (hooks && hooks->IsMap()) CheckHooks(*hooks, "jobs." + job.first.Scalar() + ".hooks", sink);
    if (!job.second.IsMap()) continue;
    CheckSnapshotMode(job.second, "jobs." + job.first.Scalar(), sink);
    CheckFreeze(job.second, "jobs." + job.first.Scalar(), sink);
  }
}

}  // namespace guestbackup::policy
