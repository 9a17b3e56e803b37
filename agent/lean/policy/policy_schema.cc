// The table itself. Keys shared by several places (retention, compression, hooks) are added by
// helpers so that each is described once.
#include "lean/policy/policy_schema.h"

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lean/platform/system_paths.h"
#include "lean/policy/bandwidth.h"
#include "lean/policy/retention.h"
#include "lean/process/process.h"

namespace guestbackup::policy {
namespace {

// Compressors of kopia v0.23.1 (`kopia benchmark compression` lists the same names).
const std::vector<std::string> kCompressors = {
    "none",
    "deflate-best-compression",
    "deflate-best-speed",
    "deflate-default",
    "gzip",
    "gzip-best-compression",
    "gzip-best-speed",
    "lz4",
    "pgzip",
    "pgzip-best-compression",
    "pgzip-best-speed",
    "s2-better",
    "s2-default",
    "s2-parallel-4",
    "s2-parallel-8",
    "zstd",
    "zstd-best-compression",
    "zstd-better-compression",
    "zstd-fastest",
};

// `snapshot:` values, in the order the docs list them.
const std::vector<std::pair<SnapshotMode, std::string>> kSnapshotModes = {
    {SnapshotMode::kNone, "none"},
    {SnapshotMode::kVss, "vss"},
    {SnapshotMode::kWhenAvailable, "when-available"},
};

std::vector<std::string> SnapshotModeChoices() {
  std::vector<std::string> names;
  names.reserve(kSnapshotModes.size());
  for (const auto& [mode, name] : kSnapshotModes) names.push_back(name);
  return names;
}

template <typename T>
Binding SnapshotModeField(SnapshotMode T::*member) {
  return Custom<T>(
      [member](T& target, const SchemaEntry&, const YAML::Node& value) {
        for (const auto& [mode, name] : kSnapshotModes) {
          if (value.Scalar() == name) target.*member = mode;
        }
      },
      [member](const T& target) {
        for (const auto& [mode, name] : kSnapshotModes) {
          if (target.*member == mode) return name;
        }
        return std::string();
      });
}

// A job starts from the policy's `defaults` and global webhook; its own keys then override
// them field by field.
JobSpec NewJob(const ItemContext& item) {
  JobSpec job;
  job.name = std::string(item.name);
  job.mark = item.mark;
  job.compression = item.policy.defaults.compression;
  job.retention = item.policy.defaults.retention;
  job.stall_timeout = item.policy.defaults.stall_timeout;
  job.snapshot = item.policy.defaults.snapshot;
  job.webhook = item.policy.webhook;
  job.bandwidth = item.policy.bandwidth;
  return job;
}

// A rate of T (the base rates, or a window's, which may be unset).
template <typename T, typename V>
Binding RateField(V T::*member) {
  return Custom<T>(
      [member](T& target, const SchemaEntry&, const YAML::Node& value) {
        target.*member = ParseByteRate(value.Scalar()).value_or(kUnlimited);
      },
      [member](const T& target) {
        if constexpr (std::is_same_v<V, ByteRate>) {
          return FormatByteRate(target.*member);
        } else {
          return target.*member ? FormatByteRate(*(target.*member)) : std::string();
        }
      });
}

// `windows`, when given, replace the ones inherited (a job's start as the global list).
Binding WindowItems() {
  Binding b =
      Items(&BandwidthSpec::windows, std::function<BandwidthWindowSpec(const ItemContext&)>(
                                         [](const ItemContext&) { return BandwidthWindowSpec{}; }));
  b.replace = [](const Target& target) { std::get<BandwidthSpec*>(target)->windows.clear(); };
  return b;
}

HookSpec NewHook(const ItemContext& item) {
  HookSpec hook;
  hook.name = std::string(item.name) + "[" + std::to_string(item.index) + "]";
  hook.timeout = item.policy.defaults.hook_timeout;
  hook.mark = item.mark;
  return hook;
}

// `run:` is the argv itself; `shell:` becomes the system's shell running TEXT
// (process::ShellArgv: /bin/sh -c, or cmd.exe /d /s /c on Windows). Each shows only its own form.
Binding HookCommand(bool shell) {
  return Custom<HookSpec>(
      [shell](HookSpec& hook, const SchemaEntry& entry, const YAML::Node& value) {
        hook.via_shell = shell;
        hook.argv = shell ? process::ShellArgv(value.Scalar()) : StoredStrings(entry, value);
      },
      [shell](const HookSpec& hook) {
        if (hook.via_shell != shell || hook.argv.empty()) return std::string();
        return shell ? hook.argv.back() : Shown(hook.argv);
      });
}

class TableBuilder {
 public:
  TableBuilder& Add(std::string path, ValueKind kind, std::string description,
                    std::string example = "", std::string default_text = "") {
    SchemaEntry entry;
    entry.path = std::move(path);
    entry.kind = kind;
    entry.description = std::move(description);
    entry.example = std::move(example);
    entry.default_text = std::move(default_text);
    entries_.push_back(std::move(entry));
    return *this;
  }
  // Modifiers for the entry added last.
  TableBuilder& Required() {
    entries_.back().required = true;
    return *this;
  }
  TableBuilder& Commented() {
    entries_.back().sample_commented = true;
    return *this;
  }
  TableBuilder& Choices(std::vector<std::string> choices) {
    entries_.back().choices = std::move(choices);
    return *this;
  }
  // Where the value goes. A leaf without a default of its own text takes its field's struct
  // default: the one place that default is written is the struct (policy.h).
  TableBuilder& Bind(Binding binding) {
    SchemaEntry& entry = entries_.back();
    if (entry.default_text.empty() && !entry.required) {
      entry.default_text = binding.struct_default;
    }
    entry.bind = std::move(binding);
    return *this;
  }

  struct RetentionExample {
    std::string key;
    std::string example;
    bool active;  // shown uncommented in the sample
  };
  // `inherited`: "" for defaults (unset keeps kopia's value), else the key a job inherits from.
  void AddRetention(const std::string& prefix, const std::string& description, Binding binding,
                    const std::string& inherited, const std::vector<RetentionExample>& examples) {
    Add(prefix + ".retention", ValueKind::kMapping, description).Bind(std::move(binding));
    for (const RetentionField& field : kRetentionFields) {
      const std::string key(field.key);
      for (const RetentionExample& e : examples) {
        if (e.key != key) continue;
        Add(prefix + ".retention." + key, ValueKind::kCount, std::string(field.description),
            e.example,
            inherited.empty() ? "kopia's value" : "`" + inherited + ".retention." + key + "`")
            .Bind(Field(field.member));
        if (!e.active) Commented();
      }
    }
  }

  struct HookExample {
    std::string name;
    std::string run;
    std::string shell;
    std::string timeout;
    std::string on_failure;
    bool use_shell;  // which of `run` and `shell` the sample shows uncommented
  };
  void AddHooks(const std::string& list, std::vector<HookSpec> HooksSpec::*member,
                const std::string& description, const HookExample& e) {
    Add(list, ValueKind::kMappingList, description, "", "[]").Bind(SameStruct());
    const std::string item = list + "[]";
    Add(item, ValueKind::kMapping, "One hook: a program (`run`) or a shell command (`shell`).")
        .Bind(Items(member, std::function<HookSpec(const ItemContext&)>(NewHook)));
    Add(item + ".name", ValueKind::kHookName,
        "Name used in messages and history; unique among the job's hooks. Lowercase letters, "
        "digits, `-` and `_`.",
        e.name, "`before[0]`, `after[1]`, ...")
        .Bind(Field(&HookSpec::name));
    Add(item + ".run", ValueKind::kArgv,
        "The program and its arguments, run without a shell. The program must be an absolute "
        "path: hooks never search PATH. Give exactly one of `run` and `shell`.",
        e.run)
        .Bind(HookCommand(false));
    if (e.use_shell) Commented();
    Add(item + ".shell", ValueKind::kString,
        "A command line run with `/bin/sh -c`, for when you need pipes or variables.", e.shell)
        .Bind(HookCommand(true));
    if (!e.use_shell) Commented();
    Add(item + ".timeout", ValueKind::kDuration,
        "How long the hook may run before it is killed, with every process it started.", e.timeout,
        "`defaults.hook_timeout`")
        .Bind(Field(&HookSpec::timeout));
    Add(item + ".on_failure", ValueKind::kChoice,
        "`abort`: a failing before-hook skips the backup. `continue`: the failure is recorded "
        "and the run goes on.",
        e.on_failure)
        .Choices({"abort", "continue"})
        .Bind(Custom<HookSpec>(
            [](HookSpec& hook, const SchemaEntry&, const YAML::Node& value) {
              hook.on_failure = value.Scalar() == "continue" ? HookFailureMode::kContinue
                                                             : HookFailureMode::kAbort;
            },
            [](const HookSpec& hook) {
              return std::string(hook.on_failure == HookFailureMode::kContinue ? "continue"
                                                                               : "abort");
            }));
  }

  // `prefix` is "" (the global webhook) or "jobs.*" (a job's, which overrides it field by field).
  void AddWebhook(const std::string& prefix, const std::string& description, Binding binding) {
    const std::string base = prefix.empty() ? "notifications" : prefix + ".notifications";
    // Opt-in, and the example URL is a placeholder: the sample shows it commented out.
    Add(base, ValueKind::kMapping, "How runs are announced.").Commented().Bind(std::move(binding));
    Add(base + ".webhook", ValueKind::kMapping, description).Bind(SameStruct());
    Add(base + ".webhook.url", ValueKind::kWebhookUrl,
        "Where to POST a JSON description of the run (job, event, status, snapshot ids, figures, "
        "error): `https://host[:port]/path`. As healthchecks.io expects, `start` goes to "
        "`<url>/start`, `failure` to `<url>/fail`, `success` to the URL itself. Plain http is "
        "refused.",
        "https://hc-ping.com/0b7c9a4e-5d1f-4c2a-9e3b-7f6a8d2c1e40",
        prefix.empty() ? "" : "`notifications.webhook.url`")
        .Bind(Field(&WebhookSpec::url));
    Add(base + ".webhook.events", ValueKind::kChoiceList,
        "Which events are sent: `start` when a run begins, `success` when it succeeded, "
        "`failure` when it failed, was partial or was interrupted. `[]` sends nothing; a run "
        "skipped because the previous one is still going sends nothing either.",
        "[start, success, failure]")
        .Choices({"start", "success", "failure"})
        .Bind(Field(&WebhookSpec::events));
    Add(base + ".webhook.timeout", ValueKind::kDuration,
        "Limit for each step of one attempt: connecting, the TLS handshake, sending and "
        "waiting for the answer.",
        "10s")
        .Bind(Field(&WebhookSpec::timeout));
    Add(base + ".webhook.retries", ValueKind::kCount,
        "Further attempts after one that got no answer, a TLS error, a 5xx, 408 or 429, pausing "
        "1s, 2s, 4s ... (at most 30s) in between. A webhook that keeps failing is logged; it "
        "never fails the backup.",
        "3")
        .Bind(Field(&WebhookSpec::retries));
    Add(base + ".webhook.total_timeout", ValueKind::kDuration,
        "Limit for delivering one event, every attempt and pause included: a retry that would "
        "end past it is not made. The end of a run waits at most this long for its "
        "notifications, after the run's result is recorded and printed.",
        "30s")
        .Bind(Field(&WebhookSpec::total_timeout));
    Add(base + ".webhook.ca_file", ValueKind::kAbsolutePath,
        "A CA bundle to verify the receiver with, instead of the system's CA store.",
        "/etc/guestbackup/webhook-ca.crt", "the system's CA store")
        .Commented()
        .Bind(Field(&WebhookSpec::ca_file));
    if (!prefix.empty()) {
      // The job's defaults are the global values, which the docs name instead.
      for (SchemaEntry& entry : entries_) {
        if (!entry.path.starts_with(base + ".webhook.") || entry.path.ends_with(".url")) continue;
        entry.default_text = "`notifications.webhook." + std::string(SchemaKey(entry)) + "`";
      }
    }
  }

  // `prefix` is "" (the global limits) or "jobs.*" (a job's, which override them key by key).
  void AddBandwidth(const std::string& prefix, const std::string& description, Binding binding) {
    const std::string base = prefix.empty() ? "bandwidth" : prefix + ".bandwidth";
    const std::string inherited = prefix.empty() ? "" : "`bandwidth.";
    Add(base, ValueKind::kMapping, description).Commented().Bind(std::move(binding));
    Add(base + ".upload", ValueKind::kRate,
        "Limit of what the agent sends to the server (a backup's data): `20MiB/s`, `500KiB/s`, "
        "`100Mbit/s` or `unlimited`.",
        "20MiB/s", prefix.empty() ? "" : inherited + "upload`")
        .Bind(RateField(&BandwidthSpec::upload));
    Add(base + ".download", ValueKind::kRate,
        "Limit of what the agent receives from the server (a restore's data).", "50MiB/s",
        prefix.empty() ? "" : inherited + "download`")
        .Bind(RateField(&BandwidthSpec::download));
    Add(base + ".windows", ValueKind::kMappingList,
        "Weekly spans of local time with rates of their own, e.g. less in office hours. The "
        "first span that holds decides; outside all of them `upload` and `download` apply. "
        "A running backup follows the spans as they begin and end." +
            std::string(prefix.empty() ? "" : " When given, replaces `bandwidth.windows`."),
        "", prefix.empty() ? "[]" : "`bandwidth.windows`")
        .Bind(SameStruct());
    const std::string item = base + ".windows[]";
    Add(item, ValueKind::kMapping, "One span and its rates.").Bind(WindowItems());
    Add(item + ".when", ValueKind::kWeeklyWindow,
        "Days (as in a calendar expression; every day when left out) and a time of day "
        "`HH:MM-HH:MM` (the whole day when left out): `Mon..Fri 08:00-18:00`, `Sat,Sun`, "
        "`22:00-06:00` (a span that ends before it starts runs past midnight).",
        "\"Mon..Fri 08:00-18:00\"")
        .Required()
        .Bind(Custom<BandwidthWindowSpec>(
            [](BandwidthWindowSpec& window, const SchemaEntry&, const YAML::Node& value) {
              window.when = value.Scalar();
              window.window = ParseWeeklyWindow(window.when).value_or(WeeklyWindow{});
            },
            [](const BandwidthWindowSpec& window) { return window.when; }));
    Add(item + ".upload", ValueKind::kRate, "The upload limit while the span holds.", "5MiB/s",
        "`upload`")
        .Bind(RateField(&BandwidthWindowSpec::upload));
    Add(item + ".download", ValueKind::kRate, "The download limit while the span holds.", "10MiB/s",
        "`download`")
        .Commented()
        .Bind(RateField(&BandwidthWindowSpec::download));
  }

  std::vector<SchemaEntry> Take() { return std::move(entries_); }

 private:
  std::vector<SchemaEntry> entries_;
};

std::vector<SchemaEntry> BuildTable() {
  TableBuilder t;
  t.Add("version", ValueKind::kVersion, "Format version of this file. Only 1 exists.", "1")
      .Required()
      .Bind(Field(&Policy::version));
  t.Add("kopia", ValueKind::kAbsolutePath, "Absolute path of the kopia binary to run.",
        "/usr/bin/kopia", "the package's bundled kopia, else found on PATH")
      .Commented()
      .Bind(Field(&Policy::kopia_path));
  t.Add("state_dir", ValueKind::kAbsolutePath,
        "Where guestbackup keeps its history, locks and kopia configuration.",
        "/var/lib/guestbackup", platform::DefaultStateDir())
      .Commented()
      .Bind(Field(&Policy::state_dir));

  t.Add("server", ValueKind::kMapping,
        "The kopia repository server to back up to. May be left out when discovery finds it.")
      .Bind(Struct(&Policy::server));
  t.Add("server.url", ValueKind::kHttpsUrl,
        "Address of the server: `https://host[:port]`, no path. Plain http is refused. Every "
        "`server` key may be left out when discovery finds its value (docs/discovery.md).",
        "https://bsls-sample.openshift-adp.svc:51515")
      .Bind(Field(&ServerSpec::url));
  t.Add("server.fingerprint", ValueKind::kFingerprint,
        "SHA-256 of the server's DER certificate, as 64 hex digits (upper case and `:` "
        "separators are accepted). Pins the server; required unless `ca_file` is set.",
        "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f")
      .Bind(Field(&ServerSpec::fingerprint));
  t.Add("server.ca_file", ValueKind::kAbsolutePath,
        "A CA bundle to verify the server with, instead of pinning its fingerprint.",
        "/etc/guestbackup/ca.crt")
      .Commented()
      .Bind(Field(&ServerSpec::ca_file));
  t.Add("server.username", ValueKind::kIdentityName,
        "User part of this machine's kopia identity (`username@hostname`). Lowercase letters, "
        "digits, `.`, `_` and `-`. Discovery gives the VM's name on KubeVirt.",
        "web01")
      .Bind(Field(&ServerSpec::username));
  t.Add("server.hostname", ValueKind::kIdentityName,
        "Host part of this machine's kopia identity. Same characters as `username`. Discovery "
        "gives the VM's namespace on KubeVirt.",
        "prod-vms")
      .Bind(Field(&ServerSpec::hostname));
  t.Add("server.password_file", ValueKind::kAbsolutePath,
        "File holding the kopia password; it must be owned by root (or the agent's user) with "
        "mode 0600 or stricter. Discovery may instead take the password from a KubeVirt Secret "
        "disk.",
        "/etc/guestbackup/credentials/password")
      .Bind(Field(&ServerSpec::password_file));
  t.Add("server.service", ValueKind::kServiceName,
        "The server's Kubernetes Service as `name.namespace` (or a full DNS name such as "
        "`name.namespace.svc.example.org`): discovery then looks up the URL in the DNS SRV "
        "record `_kopia._tcp.<name>.<namespace>.svc.cluster.local`.",
        "bsls-sample.openshift-adp")
      .Commented()
      .Bind(Field(&ServerSpec::service));

  t.Add("defaults", ValueKind::kMapping, "Values every job inherits unless it sets its own.")
      .Bind(Struct(&Policy::defaults));
  t.Add("defaults.compression", ValueKind::kChoice, "Kopia compressor for new snapshots.", "zstd",
        "kopia's value")
      .Choices(kCompressors)
      .Bind(Field(&DefaultsSpec::compression));
  t.AddRetention("defaults", "How many snapshots kopia keeps. Unset fields keep kopia's value.",
                 Struct(&DefaultsSpec::retention), "",
                 {{"keep_latest", "10", true},
                  {"keep_hourly", "24", false},
                  {"keep_daily", "14", true},
                  {"keep_weekly", "4", false},
                  {"keep_monthly", "12", false},
                  {"keep_annual", "3", false}});
  t.Add("defaults.hook_timeout", ValueKind::kDuration, "Timeout of hooks that set none.", "5m")
      .Bind(Field(&DefaultsSpec::hook_timeout));
  t.Add("defaults.stall_timeout", ValueKind::kDuration,
        "A snapshot with no progress from kopia for this long (no file read, no byte uploaded) "
        "ends as failed with exit code 5 and the after hooks run: a stopped server must not "
        "hang the run or keep a frozen guest frozen. A restore of the job's paths with no byte "
        "written for this long ends with exit code 5 too, its partial copy removed.",
        "10m")
      .Bind(Field(&DefaultsSpec::stall_timeout));
  t.Add("defaults.snapshot", ValueKind::kChoice,
        "Where kopia reads the files from. `vss`: a Volume Shadow Copy of each path's volume, "
        "made before and removed after its snapshot, so open and locked files are read as they "
        "were at one instant; when none can be made the snapshot fails. `when-available`: a "
        "shadow copy when one can be made, else the live files (the history says which). "
        "`none`: the live files. Shadow copies exist on Windows only and need the service's "
        "rights (LocalSystem or Administrators); `vss` elsewhere is an error.",
        "when-available", "`when-available` on Windows, `none` elsewhere")
      .Choices(SnapshotModeChoices())
      .Commented()
      .Bind(SnapshotModeField(&DefaultsSpec::snapshot));

  t.Add("jobs", ValueKind::kNamedMappings, "The backup jobs, by name. At least one is required.")
      .Required()
      .Bind(SameStruct());
  t.Add("jobs.*", ValueKind::kMapping,
        "One job. Its name (1-63 of lowercase letters, digits, `-`, `_`, starting with a letter "
        "or digit) names its timer unit and lock file.",
        "etc")
      .Bind(Items(&Policy::jobs, std::function<JobSpec(const ItemContext&)>(NewJob)));
  t.Add("jobs.*.paths", ValueKind::kPathList,
        "Absolute paths to back up, each as its own kopia source.", "[/etc]")
      .Required()
      .Bind(Field(&JobSpec::paths));
  t.Add("jobs.*.exclude", ValueKind::kStringList,
        "Kopia ignore patterns (gitignore syntax) applied to every path.", "[\"*.swp\"]")
      .Bind(Field(&JobSpec::exclude));
  t.Add("jobs.*.schedule", ValueKind::kSchedule,
        "When to run, in systemd OnCalendar syntax (`daily`, `Mon..Fri 02:00`, "
        "`*-*-* 00/6:00`). Without it the job runs only when asked.",
        "\"*-*-* 02:00:00\"", "manual only")
      .Bind(Field(&JobSpec::schedule));
  t.Add("jobs.*.randomized_delay", ValueKind::kDelay,
        "Random delay added to each scheduled start, so machines do not all start at once.", "30m")
      .Bind(Field(&JobSpec::randomized_delay));
  t.Add("jobs.*.catch_up", ValueKind::kBool,
        "Run once after boot when a scheduled run was missed while the machine was off.", "true")
      .Bind(Field(&JobSpec::catch_up));
  t.Add("jobs.*.compression", ValueKind::kChoice, "Overrides `defaults.compression`.", "zstd",
        "`defaults.compression`")
      .Choices(kCompressors)
      .Commented()
      .Bind(Field(&JobSpec::compression));
  t.AddRetention("jobs.*", "Overrides `defaults.retention` field by field.",
                 Struct(&JobSpec::retention), "defaults",
                 {{"keep_latest", "10", false},
                  {"keep_hourly", "24", false},
                  {"keep_daily", "30", true},
                  {"keep_weekly", "4", false},
                  {"keep_monthly", "12", false},
                  {"keep_annual", "3", false}});
  t.Add("jobs.*.stall_timeout", ValueKind::kDuration, "Overrides `defaults.stall_timeout`.", "30m",
        "`defaults.stall_timeout`")
      .Commented()
      .Bind(Field(&JobSpec::stall_timeout));
  t.Add("jobs.*.snapshot", ValueKind::kChoice, "Overrides `defaults.snapshot`.", "none",
        "`defaults.snapshot`")
      .Choices(SnapshotModeChoices())
      .Commented()
      .Bind(SnapshotModeField(&JobSpec::snapshot));
  t.Add("jobs.*.freeze", ValueKind::kPathList,
        "Mount points to freeze (FIFREEZE, as `fsfreeze -f` does) while the snapshot is taken, "
        "after the before hooks and before the after hooks, so the copy of each is consistent "
        "as of one instant. A guard process thaws them if the agent dies or `freeze_timeout` "
        "passes. Never `/` nor the file system of the state directory (the history and kopia's "
        "cache must stay writable); each must hold one of the job's paths. Linux only.",
        "[/srv]")
      .Commented()
      .Bind(Field(&JobSpec::freeze));
  t.Add("jobs.*.freeze_timeout", ValueKind::kDuration,
        "How long `freeze` may hold the file systems: then the guard thaws them and the run "
        "fails, since the snapshot went on while they were being written.",
        "2m")
      .Commented()
      .Bind(Field(&JobSpec::freeze_timeout));
  t.Add("jobs.*.hooks", ValueKind::kMapping, "Commands run around the snapshot.")
      .Bind(Struct(&JobSpec::hooks));
  t.AddHooks("jobs.*.hooks.before", &HooksSpec::before,
             "Run in order before the snapshot; a failing one skips the backup unless its "
             "`on_failure` is `continue`.",
             {"freeze", "[/usr/sbin/fsfreeze, -f, /srv]", "\"/usr/sbin/fsfreeze -f /srv\"", "30s",
              "abort", false});
  t.AddHooks("jobs.*.hooks.after", &HooksSpec::after,
             "Run after the snapshot whatever its outcome, in the reverse order of the "
             "before-hooks that ran.",
             {"thaw", "[/usr/sbin/fsfreeze, -u, /srv]",
              "\"/usr/sbin/fsfreeze -u /srv && systemctl start app\"", "30s", "continue", true});
  t.AddWebhook("jobs.*", "Overrides `notifications.webhook` field by field for this job.",
               Struct(&JobSpec::webhook));
  t.AddBandwidth("jobs.*", "Overrides `bandwidth` key by key for this job's runs.",
                 Struct(&JobSpec::bandwidth));

  t.Add("application_quiesce", ValueKind::kMapping,
        "Commands that quiesce this guest's applications, and resume them: run when KubeVirt "
        "freezes the guest for a VM snapshot or an OADP/Velero backup (qemu-guest-agent's "
        "fsfreeze hook, which the packages install, calls `guestbackup quiesce freeze` and "
        "`thaw`), and around a job's own `freeze`. One set of application hooks serves both.")
      .Commented()
      .Bind(Struct(&Policy::application_quiesce));
  t.AddHooks(
      "application_quiesce.before", &HooksSpec::before,
      "Run in order before the file systems are frozen; a failing one fails a job's "
      "freeze (KubeVirt's goes on: qemu-guest-agent ignores its hooks' exit codes).",
      {"flush", "[/usr/local/bin/db-flush]", "\"psql -c CHECKPOINT\"", "30s", "abort", false});
  t.AddHooks("application_quiesce.after", &HooksSpec::after,
             "Run after the thaw, in the reverse order of the before-hooks that ran.",
             {"resume", "[/usr/local/bin/db-resume]", "\"systemctl start app\"", "30s", "continue",
              false});
  t.Add("daemon", ValueKind::kMapping,
        "How `guestbackup daemon` runs the schedules itself, on guests without systemd timers.")
      .Bind(Struct(&Policy::daemon));
  t.Add("daemon.max_parallel", ValueKind::kPositiveCount,
        "How many jobs may run at the same time. A job never runs twice at once.", "1")
      .Bind(Field(&DaemonSpec::max_parallel));
  t.Add("daemon.shutdown_grace", ValueKind::kDuration,
        "After SIGTERM, how long a running job may go on before it is interrupted.", "5m")
      .Bind(Field(&DaemonSpec::shutdown_grace));
  t.Add("history", ValueKind::kMapping,
        "How much of the local job history (`guestbackup history`, status, catch-up) is kept. "
        "After each run a few rows beyond the limits are deleted; the metrics' run counters "
        "keep counting them.")
      .Commented()
      .Bind(Struct(&Policy::history));
  t.Add("history.keep_days", ValueKind::kCount,
        "Rows of runs that started longer ago than this many days are deleted; 0 keeps them.",
        "400")
      .Bind(Field(&HistorySpec::keep_days));
  t.Add("history.keep_runs", ValueKind::kCount,
        "Per job, rows beyond its newest this many are deleted; 0 keeps them.", "10000")
      .Bind(Field(&HistorySpec::keep_runs));
  t.Add("metrics", ValueKind::kMapping, "The Prometheus metrics written after each run.")
      .Commented()
      .Bind(Struct(&Policy::metrics));
  t.Add("metrics.textfile", ValueKind::kAbsolutePath,
        "File in node_exporter's textfile collector format, replaced atomically after each run.",
        "/var/lib/node_exporter/textfile_collector/guestbackup.prom",
        "`<state_dir>/guestbackup.prom`")
      .Bind(Field(&MetricsSpec::textfile));
  t.AddWebhook("", "An HTTPS webhook called when runs start and end; every job inherits it.",
               Struct(&Policy::webhook));
  t.AddBandwidth("",
                 "Limits of the agent's traffic with the server; every job inherits them, and "
                 "commands that are no job's (restore, ls) use them. kopia cannot limit a client "
                 "of a repository server, so the agent passes kopia's connection through a relay "
                 "of its own on loopback; TLS goes through it unchanged, so the pinned "
                 "certificate is still the server's.",
                 Struct(&Policy::bandwidth));

  return t.Take();
}

}  // namespace

const std::vector<SchemaEntry>& PolicySchema() {
  static const std::vector<SchemaEntry> kTable = BuildTable();
  return kTable;
}

const SchemaEntry* FindSchemaEntry(std::string_view path) {
  for (const SchemaEntry& entry : PolicySchema()) {
    if (entry.path == path) return &entry;
  }
  return nullptr;
}

std::string_view SchemaKey(const SchemaEntry& entry) {
  const std::string_view path = entry.path;
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::vector<const SchemaEntry*> SchemaChildren(std::string_view parent) {
  std::vector<const SchemaEntry*> children;
  const std::string prefix = parent.empty() ? "" : std::string(parent) + ".";
  for (const SchemaEntry& entry : PolicySchema()) {
    const std::string_view path = entry.path;
    if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = path.substr(prefix.size());
    if (rest.find('.') != std::string_view::npos || rest == "*" || rest.ends_with("[]")) continue;
    children.push_back(&entry);
  }
  return children;
}

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kMapping:
      return "mapping";
    case ValueKind::kNamedMappings:
      return "mapping of names";
    case ValueKind::kMappingList:
      return "list of mappings";
    case ValueKind::kStringList:
      return "list of strings";
    case ValueKind::kPathList:
      return "list of absolute paths";
    case ValueKind::kArgv:
      return "list of strings (argv)";
    case ValueKind::kString:
      return "string";
    case ValueKind::kVersion:
      return "integer";
    case ValueKind::kCount:
      return "integer >= 0";
    case ValueKind::kPositiveCount:
      return "integer >= 1";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kDuration:
      return "duration";
    case ValueKind::kDelay:
      return "duration (0 allowed)";
    case ValueKind::kAbsolutePath:
      return "absolute path";
    case ValueKind::kHttpsUrl:
      return "https URL";
    case ValueKind::kWebhookUrl:
      return "https URL with path";
    case ValueKind::kFingerprint:
      return "SHA-256 hex";
    case ValueKind::kIdentityName:
      return "name";
    case ValueKind::kServiceName:
      return "service name";
    case ValueKind::kHookName:
      return "name";
    case ValueKind::kSchedule:
      return "calendar expression";
    case ValueKind::kRate:
      return "rate";
    case ValueKind::kWeeklyWindow:
      return "weekly time span";
    case ValueKind::kChoice:
      return "one of";
    case ValueKind::kChoiceList:
      return "list of";
  }
  return "value";
}

}  // namespace guestbackup::policy
