// Pass 3, for `guestbackup policy check` only: the files the policy names, as this machine has
// them — the password file by the rules a run applies (regular file, root's or ours, 0600),
// the CA bundles readable, the kopia binary executable — so a mistake shows when the policy is
// written, not at the first scheduled run.
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "lean/platform/credential_file.h"
#include "lean/policy/policy_passes.h"
#include "lean/policy/value_checks.h"

namespace guestbackup::policy {
namespace {

// The value at `keys` below `node` when it is a non-empty scalar.
std::optional<YAML::Node> Scalar(const YAML::Node& node, std::initializer_list<const char*> keys) {
  YAML::Node at(node);
  for (const char* key : keys) {
    const std::optional<YAML::Node> next = FindKey(at, key);
    if (!next) return std::nullopt;
    at.reset(*next);  // rebinds; `at = *next` would overwrite the node `at` refers to
  }
  if (!at.IsScalar() || at.Scalar().empty()) return std::nullopt;
  return at;
}

// "" when `path` is a regular file this process can open for reading (and, with `execute`,
// run); else what is wrong.
std::string FileProblem(const std::string& path, bool execute) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return path + ": " + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  if (access(path.c_str(), execute ? X_OK : R_OK) != 0) {
    return path + " cannot be " + (execute ? "run" : "read") + ": " + std::strerror(errno);
  }
  return "";
}

void CheckFile(const YAML::Node& root, std::initializer_list<const char*> keys,
               const std::string& key_path, bool execute, DiagnosticSink& sink) {
  const std::optional<YAML::Node> value = Scalar(root, keys);
  if (!value) return;
  const Result<std::string> path = NormalizePath(value->Scalar());
  if (!path.ok()) return;  // pass 1 reported it
  const std::string problem = FileProblem(*path, execute);
  if (!problem.empty()) sink.Add(value->Mark(), key_path, problem);
}

}  // namespace

void CheckLocalFiles(const YAML::Node& root, DiagnosticSink& sink) {
  if (const std::optional<YAML::Node> value = Scalar(root, {"server", "password_file"})) {
    const Result<std::string> path = NormalizePath(value->Scalar());
    if (path.ok()) {
      const Status status = platform::CheckCredentialFile(*path);
      if (!status.ok()) sink.Add(value->Mark(), "server.password_file", status.message());
    }
  }
  CheckFile(root, {"server", "ca_file"}, "server.ca_file", false, sink);
  CheckFile(root, {"kopia"}, "kopia", true, sink);
  CheckFile(root, {"notifications", "webhook", "ca_file"}, "notifications.webhook.ca_file", false,
            sink);
  if (const std::optional<YAML::Node> jobs = FindKey(root, "jobs"); jobs && jobs->IsMap()) {
    for (const auto& job : *jobs) {
      CheckFile(job.second, {"notifications", "webhook", "ca_file"},
                "jobs." + job.first.Scalar() + ".notifications.webhook.ca_file", false, sink);
    }
  }
}

}  // namespace guestbackup::policy
