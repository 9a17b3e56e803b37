#include "full/kopia/kopia_client.h"

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <chrono>
#include <set>

#include "full/kopia/kopia_errors.h"
#include "lean/base/secret_masker.h"
#include "lean/policy/duration.h"
#include "lean/process/process.h"

namespace guestbackup::kopia {
namespace {

using namespace std::chrono_literals;

// Variables a caller's environment might carry that would point kopia at another repository
// or change how it treats credentials; the adapter decides these itself.
const std::vector<std::string> kClearedEnv = {"KOPIA_CONFIG_PATH",
                                              "KOPIA_CACHE_DIRECTORY",
                                              "KOPIA_LOG_DIR",
                                              "KOPIA_PERSIST_CREDENTIALS_ON_CONNECT",
                                              "KOPIA_USE_KEYRING",
                                              "KOPIA_PASSWORD",
                                              "KOPIA_SNAPSHOT_FAIL_FAST",
                                              "SSL_CERT_FILE",
                                              "SSL_CERT_DIR"};

Status StalledError(const std::string& what, const StallLimit& stall) {
  return Unavailable(what + ": no progress from kopia for " +
                     policy::FormatDuration(stall.timeout) +
                     (stall.key.empty() ? "" : " (" + stall.key + ")") +
                     "; the server or its storage stopped answering");
}

std::string RetentionArg(const std::optional<int>& v) {
  return v ? std::to_string(*v) : std::string("inherit");
}

}  // namespace

Result<process::ProcessResult> KopiaClient::RunWithProgress(
    std::vector<std::string> args, const std::function<void(std::string_view)>& on_line,
    std::size_t stdout_limit, std::chrono::milliseconds idle_timeout, ContentCache cache,
    const std::atomic<bool>* also_cancel) const {
  // kopia rewrites its progress line with '\r' on stderr; split it into lines for the parser.
  std::optional<LineSplitter> progress;
  if (on_line || idle_timeout.count() > 0) {
    args.emplace_back("--progress");
    args.emplace_back("--progress-update-interval=500ms");
  } else {
    args.emplace_back("--no-progress");
  }
  if (on_line) progress.emplace(on_line);
  process::ProcessSpec spec = CommandSpec(std::move(args), cache);
  spec.stdout_limit = stdout_limit;
  spec.idle_timeout = idle_timeout;
  spec.also_cancel = also_cancel;
  if (progress) spec.on_stderr = [&](std::string_view chunk) { progress->Feed(chunk); };
  auto r = process::Run(spec);
  if (progress) progress->Finish();
  return r;
}

StallLimit StallLimit::Of(const policy::JobSpec& job) {
  return {job.stall_timeout, "jobs." + job.name + ".stall_timeout"};
}

KopiaClient::KopiaClient(KopiaEnvironment env) : env_(std::move(env)) {
  RegisterSecret(env_.password);
}

process::ProcessSpec KopiaClient::CommandSpec(std::vector<std::string> args,
                                              ContentCache cache) const {
  process::ProcessSpec spec;
  spec.argv.reserve(args.size() + 4);
  spec.argv.push_back(env_.kopia_path);
  for (auto& a : args) spec.argv.push_back(std::move(a));
  const bool skip_cache = cache == ContentCache::kSkip && !env_.uncached_config_file.empty();
  spec.argv.push_back("--config-file=" +
                      (skip_cache ? env_.uncached_config_file : env_.config_file));
  if (!env_.log_dir.empty()) spec.argv.push_back("--log-dir=" + env_.log_dir);
  spec.unset_env = kClearedEnv;
  spec.extra_env = {{"KOPIA_PASSWORD", env_.password},
                    {"KOPIA_CHECK_FOR_UPDATES", "false"},
                    // kopia's own log files in UTC, as the agent's are (the times `ls -l`
                    // prints are asked for in UTC by its --timezone, which Windows needs).
                    {"TZ", "UTC"}};
  if (!env_.ca_file.empty()) spec.extra_env.emplace_back("SSL_CERT_FILE", env_.ca_file);
  spec.cancel = env_.cancel;
  return spec;
}

Result<std::string> KopiaClient::RunRaw(const std::vector<std::string>& args,
                                        const std::string& what, ContentCache cache) const {
  process::ProcessSpec spec = CommandSpec(args, cache);
  spec.timeout = 10min;
  spec.stdout_limit = std::size_t{64} * 1024 * 1024;
  auto r = process::Run(spec);
  if (!r.ok()) return r.status().WithContext(what);
  if (r->cancelled) return Interrupted(what + ": cancelled");
  if (!r->Succeeded()) return ClassifyKopiaFailure(what, r->stderr_data);
  return std::move(r->stdout_data);
}

Status KopiaClient::ConnectServer(const ServerEndpoint& server,
                                  const std::string& cache_dir) const {
  std::vector<std::string> args = {"repository",
                                   "connect",
                                   "server",
                                   "--url=" + server.url,
                                   "--override-username=" + server.username,
                                   "--override-hostname=" + server.hostname,
                                   "--no-persist-credentials",
                                   "--no-check-for-updates",
                                   "--cache-directory=" + cache_dir};
  if (!server.fingerprint.empty()) {
    args.push_back("--server-cert-fingerprint=" + server.fingerprint);
  }
  const std::string what =
      "connect to " + server.url + " as " + server.username + "@" + server.hostname;
  process::ProcessSpec spec = CommandSpec(std::move(args));
  spec.timeout = 2min;
  auto r = process::Run(spec);
  if (!r.ok()) return r.status().WithContext(what);
  if (r->cancelled) return Interrupted(what + ": cancelled");
  if (r->timed_out) {
    return Unavailable(what + ": " + std::string(kServerUnreachable) +
                       ": no answer within 2 minutes");
  }
  if (!r->Succeeded()) return ClassifyKopiaFailure(what, r->stderr_data);
  return Status::Ok();
}

SnapshotOutcome KopiaClient::CreateSnapshot(const std::string& path,
                                            const SnapshotRequest& request) {
  std::vector<std::string> args = {"snapshot", "create", path, "--json", "--json-verbose"};
  if (!request.description.empty()) args.push_back("--description=" + request.description);
  for (const auto& [k, v] : request.tags) {
    std::string tag = "--tags=";
    tag.append(k).append(":").append(v);
    args.push_back(std::move(tag));
  }
  // Every stderr line is read: kopia tells of a shadow copy only there.
  ShadowCopyReport shadow_copy;
  std::function<void(std::string_view)> on_line = [&](std::string_view line) {
    shadow_copy.Observe(line);
    if (!request.on_progress) return;
    if (auto p = ParseProgressLine(line)) request.on_progress(*p);
  };
  const std::string what = "snapshot of " + path;
  // The manifest may list thousands of failed files.
  auto r = RunWithProgress(std::move(args), on_line, std::size_t{16} * 1024 * 1024,
                           request.stall.timeout, ContentCache::kOpen);
  SnapshotOutcome outcome;
  if (!r.ok()) {
    outcome.error = r.status().WithContext(what);
  } else if (r->stalled) {
    outcome.error = StalledError(what, request.stall);
  } else if (r->cancelled) {
    outcome.error = Interrupted(what + ": cancelled");
  } else {
    outcome = ClassifySnapshot(what, r->exited ? r->exit_code : 1, r->stdout_data, r->stderr_data);
  }
  outcome.shadow_copy = std::move(shadow_copy);
  return outcome;
}

Result<std::vector<SnapshotManifest>> KopiaClient::ListSnapshots(const std::string& path) {
  auto out = RunRaw({"snapshot", "list", path, "--json"}, "list snapshots of " + path,
                    ContentCache::kSkip);
  if (!out.ok()) return out.status();
  auto list = ParseManifestList(*out);
  if (!list.ok()) return list.status();
  std::sort(list->begin(), list->end(),
            [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  return list;
}

Result<std::vector<DirEntry>> KopiaClient::ListDirectory(const std::string& object_path) {
  // Times in UTC, as ParseLongListing reads them: kopia prints them in the local zone unless
  // its (hidden) global --timezone says otherwise, and on Windows the local zone is the
  // system's, whatever TZ says.
  auto out = RunRaw({"ls", "-l", "--timezone=utc", object_path}, "list " + object_path);
  if (!out.ok()) return out.status();
  return ParseLongListing(*out);
}

Status KopiaClient::Restore(const std::string& object_path, const std::string& target,
                            const RestoreRequest& request) {
  std::vector<std::string> args = {"restore", object_path, target};
  if (!request.overwrite) {
    args.emplace_back("--no-overwrite-files");
    args.emplace_back("--no-overwrite-symlinks");
  }
  std::function<void(std::string_view)> on_line;
  if (request.on_progress) {
    on_line = [&request](std::string_view line) {
      if (auto p = ParseRestoreProgressLine(line)) request.on_progress(*p);
    };
  }
  const std::string what = "restore " + object_path;
  auto r = RunWithProgress(std::move(args), on_line, std::size_t{64} * 1024, request.stall.timeout,
                           ContentCache::kSkip, request.stop);
  if (!r.ok()) return r.status().WithContext(what);
  if (r->stalled) return StalledError(what, request.stall);
  if (r->cancelled) return Interrupted(what + ": cancelled");
  if (!r->Succeeded()) return ClassifyKopiaFailure(what, r->stderr_data);
  return Status::Ok();
}

bool SourcePolicy::InheritsEverything() const { return *this == SourcePolicy{}; }

std::string SourcePolicy::Digest() const {
  nlohmann::json j;
  j["compression"] = compression;
  j["keep"] = nlohmann::json::array();
  for (const policy::RetentionField& field : policy::kRetentionFields) {
    const std::optional<int>& value = retention.*field.member;
    j["keep"].push_back(value ? *value : -1);
  }
  j["ignore"] = ignore_rules;
  if (!shadow_copy.empty()) j["vss"] = shadow_copy;
  return j.dump();
}

std::optional<SourcePolicy> SourcePolicy::Parse(const std::string& digest) {
  const auto j = nlohmann::json::parse(digest, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("keep") || !j["keep"].is_array() ||
      j["keep"].size() != policy::kRetentionFields.size() ||
      !j.value("compression", nlohmann::json()).is_string() ||
      !j.value("ignore", nlohmann::json()).is_array() ||
      !j.value("vss", nlohmann::json("")).is_string()) {
    return std::nullopt;
  }
  SourcePolicy p;
  p.compression = j["compression"].get<std::string>();
  p.shadow_copy = j.value("vss", std::string());
  for (std::size_t i = 0; i < policy::kRetentionFields.size(); ++i) {
    if (!j["keep"][i].is_number_integer()) return std::nullopt;
    const int v = j["keep"][i].get<int>();
    if (v >= 0) p.retention.*policy::kRetentionFields[i].member = v;
  }
  for (const auto& rule : j["ignore"]) {
    if (!rule.is_string()) return std::nullopt;
    p.ignore_rules.push_back(rule.get<std::string>());
  }
  return p;
}

Status KopiaClient::ApplySourcePolicy(const std::string& path, const SourcePolicy& wanted,
                                      const SourcePolicy& previous) {
  const std::set<std::string> have(previous.ignore_rules.begin(), previous.ignore_rules.end());
  const std::set<std::string> want(wanted.ignore_rules.begin(), wanted.ignore_rules.end());
  std::vector<std::string> args = {"policy", "set", path};
  for (const policy::RetentionField& field : policy::kRetentionFields) {
    args.push_back(std::string(field.kopia_flag) + "=" +
                   RetentionArg(wanted.retention.*field.member));
  }
  args.push_back("--compression=" +
                 (wanted.compression.empty() ? std::string("inherit") : wanted.compression));
  if (!wanted.shadow_copy.empty() || !previous.shadow_copy.empty()) {
    args.push_back("--enable-volume-shadow-copy=" +
                   (wanted.shadow_copy.empty() ? std::string("inherit") : wanted.shadow_copy));
  }
  for (const auto& rule : want) {
    if (!have.contains(rule)) args.push_back("--add-ignore=" + rule);
  }
  for (const auto& rule : have) {
    if (!want.contains(rule)) args.push_back("--remove-ignore=" + rule);
  }
  auto out = RunRaw(args, "set policy of " + path);
  return out.ok() ? Status::Ok() : out.status();
}

}  // namespace guestbackup::kopia
