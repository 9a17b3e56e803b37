// The kopia CLI adapter: every kopia command the agent runs goes through here. The
// repository password travels only in KOPIA_PASSWORD, never in argv; TLS is pinned by
// fingerprint (or a named CA); one kopia config file per server connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "full/kopia/listing.h"
#include "full/kopia/manifest.h"
#include "full/kopia/progress.h"
#include "full/kopia/snapshot_outcome.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"
#include "lean/policy/retention.h"
#include "lean/process/process.h"

namespace guestbackup::kopia {

struct KopiaEnvironment {
  std::string kopia_path = "kopia";  // looked up on PATH when it has no '/'
  std::string config_file;           // this connection's kopia config
  // The same connection with kopia's content cache off (WriteUncachedConfig), for the
  // commands that read manifests only or each content once; "" = config_file.
  std::string uncached_config_file;
  std::string log_dir;   // kopia's own file logs
  std::string password;  // the user's password; registered as a secret
  std::string ca_file;   // trust this CA bundle instead of a pinned fingerprint
  const std::atomic<bool>* cancel = nullptr;  // stops the running kopia (group) when set
};

struct ServerEndpoint {
  std::string url;          // https://host:port
  std::string fingerprint;  // lowercase hex SHA-256 of the DER certificate; "" with a CA file
  std::string username;
  std::string hostname;
};

// No progress line or message from kopia for `timeout` ends a snapshot or a restore as
// kUnavailable (0 = wait for ever). kopia reports progress only as it reads, uploads or
// writes, so a silence is a stall: a stopped server, a hung mount.
struct StallLimit {
  std::chrono::milliseconds timeout{0};
  std::string key;  // the policy key that set it, named in the message

  // The job's stall_timeout (its own or defaults.stall_timeout).
  static StallLimit Of(const policy::JobSpec& job);
};

struct SnapshotRequest {
  std::string description;
  std::map<std::string, std::string> tags;                   // kopia --tags key:value
  std::function<void(const SnapshotProgress&)> on_progress;  // may be empty
  StallLimit stall;
};

struct SourcePolicy {
  std::string compression;                // "" = inherit
  policy::RetentionSpec retention;        // unset fields = inherit
  std::vector<std::string> ignore_rules;  // the exact list wanted
  std::string shadow_copy;                // --enable-volume-shadow-copy mode; "" = inherit

  // True when nothing is set: a new source then needs no `policy set` at all.
  bool InheritsEverything() const;
  // A stable text form, equal when the policies are equal; Parse() reads it back.
  std::string Digest() const;
  static std::optional<SourcePolicy> Parse(const std::string& digest);
  bool operator==(const SourcePolicy&) const = default;
};

// Whether a kopia command opens the connection's content cache: worth it for what reads the
// same contents again (snapshot create, ls); not for what reads manifests only or each content
// once (snapshot list, restore), where opening it costs more than it saves (connection.h).
enum class ContentCache { kOpen, kSkip };

struct RestoreRequest {
  bool overwrite = false;  // allow kopia to replace files inside the target
  std::function<void(const RestoreProgress&)> on_progress;  // empty = no progress output
  StallLimit stall;
  // Ends this restore (kInterrupted) when set, as the environment's cancel would, without
  // ending anything else; may be null.
  const std::atomic<bool>* stop = nullptr;
};

class KopiaClient {
 public:
  explicit KopiaClient(KopiaEnvironment env);

  // `repository connect server`, storing the config in env.config_file and the cache in
  // `cache_dir`. kUnavailable for unreachable server, fingerprint mismatch or bad password.
  Status ConnectServer(const ServerEndpoint& server, const std::string& cache_dir) const;

  // `snapshot create PATH --json --json-verbose`, classified from the manifest.
  SnapshotOutcome CreateSnapshot(const std::string& path, const SnapshotRequest& request);

  // `snapshot list PATH --json`: this identity's snapshots of that source, oldest first.
  Result<std::vector<SnapshotManifest>> ListSnapshots(const std::string& path);

  // `ls -l ID[/sub/dir]`.
  Result<std::vector<DirEntry>> ListDirectory(const std::string& object_path);

  // `restore ID[/sub/path] TARGET`.
  Status Restore(const std::string& object_path, const std::string& target,
                 const RestoreRequest& request);

  // One `policy set`: retention, compression and shadow copies as `wanted` says (unset =
  // inherit), ignore
  // rules added and removed relative to `previous`, the policy this agent applied last.
  // Rules someone else added to the source are left alone.
  Status ApplySourcePolicy(const std::string& path, const SourcePolicy& wanted,
                           const SourcePolicy& previous);

  // Runs `kopia <args>` with this environment (used by the demo for admin commands).
  Result<std::string> RunRaw(const std::vector<std::string>& args, const std::string& what,
                             ContentCache cache = ContentCache::kOpen) const;

  // The child process for `kopia <args>`: this connection's config (without the content cache
  // when `cache` says so and the environment has such a config) and log flags, the password
  // in KOPIA_PASSWORD, the caller's KOPIA_* settings cleared, no update checks.
  process::ProcessSpec CommandSpec(std::vector<std::string> args,
                                   ContentCache cache = ContentCache::kOpen) const;

 private:
  // Runs kopia, with --progress when `on_line` is set (it gets each stderr line) or when
  // `idle_timeout` is (a silence that long then ends it: ProcessResult::stalled).
  Result<process::ProcessResult> RunWithProgress(
      std::vector<std::string> args, const std::function<void(std::string_view)>& on_line,
      std::size_t stdout_limit, std::chrono::milliseconds idle_timeout, ContentCache cache,
      const std::atomic<bool>* also_cancel = nullptr) const;

  KopiaEnvironment env_;
};

}  // namespace guestbackup::kopia
