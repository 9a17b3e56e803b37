// The validated policy: what /etc/guestbackup/policy.yaml says, after defaults and checks.
// Built only by the loader (policy_loader.h); everything downstream trusts these values.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lean/policy/bandwidth.h"
#include "lean/policy/retention.h"

namespace guestbackup::policy {

// A hook's time limit when neither it nor defaults.hook_timeout sets one.
inline constexpr std::chrono::milliseconds kDefaultHookTimeout = std::chrono::minutes(5);

// How long a snapshot may go without progress from kopia (no file hashed, no byte uploaded,
// no message) before it is ended as failed: a stopped server must not hang a run for ever, nor
// keep a frozen guest frozen. Generous, because a flush at the end of a large snapshot reports
// nothing while it works.
inline constexpr std::chrono::milliseconds kDefaultStallTimeout = std::chrono::minutes(10);

// How long a job's `freeze` may hold its file systems frozen before the guard thaws them on
// its own (and the run fails): every write in the guest to a frozen file system waits.
inline constexpr std::chrono::milliseconds kDefaultFreezeTimeout = std::chrono::seconds(60);

// Where a value came from in the file, for messages that point back at it.
struct Mark {
  int line = 0;    // 1-based; 0 when the value was defaulted
  int column = 0;  // 1-based

  bool operator==(const Mark&) const = default;
};

enum class HookFailureMode {
  kAbort,     // a failing before-hook skips the backup (the default)
  kContinue,  // the failure is logged and the run goes on
};

// `snapshot:`: whether kopia reads a job's files from a volume shadow copy (Windows only; kopia
// makes and removes the copy itself, around each path's snapshot).
enum class SnapshotMode {
  kNone,           // the live files
  kVss,            // a shadow copy, or the path's snapshot fails
  kWhenAvailable,  // a shadow copy when one can be made, else the live files
};

#ifdef _WIN32
inline constexpr bool kHasVolumeShadowCopies = true;
inline constexpr bool kCanFreezeFileSystems = false;
#else
inline constexpr bool kHasVolumeShadowCopies = false;
inline constexpr bool kCanFreezeFileSystems = true;  // FIFREEZE (Linux)
#endif

// Open files are the rule on a Windows desktop or server, so a guest there asks for a shadow
// copy unless told otherwise; elsewhere there is none to ask for.
inline constexpr SnapshotMode kDefaultSnapshotMode =
    kHasVolumeShadowCopies ? SnapshotMode::kWhenAvailable : SnapshotMode::kNone;

struct HookSpec {
  std::string name;               // unique within the job; "before[0]" etc. when not given
  std::vector<std::string> argv;  // `run:` argv, or process::ShellArgv(<shell>) for `shell:`
  bool via_shell = false;         // true when the hook was given as `shell:`
  std::chrono::milliseconds timeout = kDefaultHookTimeout;
  HookFailureMode on_failure = HookFailureMode::kAbort;
  Mark mark;

  bool operator==(const HookSpec&) const = default;
};

struct HooksSpec {
  std::vector<HookSpec> before;  // run in order before the snapshot
  std::vector<HookSpec> after;   // run always, after the snapshot

  bool operator==(const HooksSpec&) const = default;
};

// Where and how a run is announced: healthchecks.io-style webhooks (an HTTPS POST of a JSON
// body on start / success / failure).
struct WebhookSpec {
  std::string url;  // https://host[:port]/path; "" = no webhook
  std::vector<std::string> events{"start", "success", "failure"};  // [] = send nothing
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};     // each step of an attempt
  int retries = 3;
  std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};  // one event, all attempts
  std::string ca_file;  // verify the receiver against this CA bundle instead of the system's

  bool operator==(const WebhookSpec&) const = default;
};

struct JobSpec {
  std::string name;
  std::vector<std::string> paths;    // absolute, normalized (no trailing slash)
  std::vector<std::string> exclude;  // kopia ignore patterns (gitignore syntax)
  std::string schedule;              // systemd OnCalendar expression; empty = manual only
  std::chrono::seconds randomized_delay{0};
  bool catch_up = true;
  std::string compression;  // kopia compressor name; "" = inherit
  RetentionSpec retention;
  std::chrono::milliseconds stall_timeout = kDefaultStallTimeout;
  SnapshotMode snapshot = kDefaultSnapshotMode;
  // Mount points (absolute, normalized) the agent freezes itself around the snapshot, after
  // the before hooks and before the after hooks, through a guard process that thaws them if
  // the agent dies or freeze_timeout passes (lean/freeze). Linux only.
  std::vector<std::string> freeze;
  std::chrono::milliseconds freeze_timeout = kDefaultFreezeTimeout;
  HooksSpec hooks;
  WebhookSpec webhook;      // the job's `notifications.webhook`, else the global one
  BandwidthSpec bandwidth;  // the job's own, else the global `bandwidth`, key by key
  Mark mark;

  bool operator==(const JobSpec&) const = default;
};

struct ServerSpec {
  std::string url;            // https://host:port
  std::string fingerprint;    // lowercase hex SHA-256 of the DER certificate (64 chars)
  std::string ca_file;        // alternative to fingerprint: trust this CA bundle
  std::string username;       // kopia identity user part
  std::string hostname;       // kopia identity host part
  std::string password_file;  // absolute path; mode 0600 or stricter
  std::string service;        // Kubernetes Service for the DNS SRV lookup: "name.namespace"

  bool operator==(const ServerSpec&) const = default;
};

struct DaemonSpec {
  int max_parallel = 1;  // jobs `guestbackup daemon` runs at the same time (>= 1)
  // After SIGTERM a running job gets this long to finish before it is interrupted.
  std::chrono::milliseconds shutdown_grace{std::chrono::minutes(5)};

  bool operator==(const DaemonSpec&) const = default;
};

// `history`: how much of the local job history is kept; 0 = no limit.
struct HistorySpec {
  int keep_days = 400;     // a year and a month: last year's same week stays comparable
  int keep_runs = 10'000;  // per job: over a year of an hourly job

  bool operator==(const HistorySpec&) const = default;
};

struct MetricsSpec {
  std::string textfile;  // node_exporter textfile; "" = <state_dir>/guestbackup.prom

  bool operator==(const MetricsSpec&) const = default;
};

// `defaults`: what every job starts from (field by field for retention).
struct DefaultsSpec {
  std::string compression;  // "" = kopia's own
  RetentionSpec retention;
  std::chrono::milliseconds hook_timeout = kDefaultHookTimeout;
  std::chrono::milliseconds stall_timeout = kDefaultStallTimeout;
  SnapshotMode snapshot = kDefaultSnapshotMode;

  bool operator==(const DefaultsSpec&) const = default;
};

struct Policy {
  int version = 1;
  std::string source_path;  // the file it was loaded from (for messages)
  ServerSpec server;
  std::string kopia_path;     // `kopia:` binary to run; "" = search PATH
  std::string state_dir;      // `state_dir:`; "" = the built-in default
  DefaultsSpec defaults;      // already applied to every job below
  std::vector<JobSpec> jobs;  // in file order
  DaemonSpec daemon;
  HistorySpec history;
  MetricsSpec metrics;
  WebhookSpec webhook;  // `notifications.webhook`: the default for every job
  // `application_quiesce`: what quiesces the guest's applications and resumes them, run when
  // KubeVirt freezes the guest (qemu-guest-agent's fsfreeze hook calls `guestbackup quiesce`)
  // and around a job's own `freeze`.
  HooksSpec application_quiesce;
  // `bandwidth`: the limits of commands that are no job's (restore, ls); every job inherits it.
  BandwidthSpec bandwidth;

  // Returns the job named `name`, or nullptr.
  const JobSpec* FindJob(const std::string& name) const;

  bool operator==(const Policy&) const = default;
};

}  // namespace guestbackup::policy
