// What one discovery source says about each server value: the value with where exactly it was
// written, or why the value it holds cannot be used. Each source produces one SourceReport.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::discovery {

// The values a connection needs. kCa and kFingerprint are alternatives (pinning wins).
enum class Item { kUrl, kFingerprint, kCa, kUsername, kHostname, kPassword };
inline constexpr std::array<Item, 6> kAllItems = {
    Item::kUrl, Item::kFingerprint, Item::kCa, Item::kUsername, Item::kHostname, Item::kPassword};

// "url", "fingerprint", "ca", "username", "hostname", "password" (also the JSON keys).
std::string_view ItemName(Item item);

// How a kCa or kPassword value is held.
enum class Form {
  kText,    // url, fingerprint, username, hostname: the value itself
  kFile,    // ca or password: `value` is the path of a file holding it
  kInline,  // ca: `value` is PEM text; password: `value` is the secret (never printed)
};

struct Candidate {
  std::string value;  // normalized (fingerprint lowercase, names as kopia wants them)
  Form form = Form::kText;
  std::string key;      // where in the source: "serviceURL", "server.url", "--server-url"
  std::string detail;   // how it was derived, e.g. "from instance_id \"web01.prod-vms\""
  std::string problem;  // non-empty: the source holds this value but it is unusable (why)
};

enum class SourceState {
  kAbsent,  // not there (no disk attached, no instance data, no service name): skipped
  kRead,    // read; its candidates are in `values`
  kFailed,  // there but unreadable: it may hold any value, so it decides every one it is asked
};

struct SourceReport {
  std::string name;  // "command line", "policy /etc/guestbackup/policy.yaml",
                     // "config disk /dev/vdb", "cloud-init /run/cloud-init/instance-data.json"
  SourceState state = SourceState::kAbsent;
  std::string summary;  // one line for `discover`: what was found, or why not, or the failure
  std::array<std::optional<Candidate>, kAllItems.size()> values;
  std::vector<std::string> notes;  // problems not tied to one value (unknown keys, ...)

  std::optional<Candidate>& operator[](Item item) { return values[static_cast<int>(item)]; }
  const std::optional<Candidate>& operator[](Item item) const {
    return values[static_cast<int>(item)];
  }
  // Records a valid value.
  void Set(Item item, std::string value, std::string key, Form form = Form::kText,
           std::string detail = "");
  // Records that the source holds `item` at `key` but it is unusable.
  void Refuse(Item item, std::string key, std::string problem);
};

// "config disk /dev/vdb: tlsFingerprint: expected 64 hex digits (SHA-256), got 12".
std::string FormatProblem(const SourceReport& source, const Candidate& candidate);

}  // namespace guestbackup::discovery
