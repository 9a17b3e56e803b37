// Run notifications over HTTPS: a JSON description of the run POSTed to the job's webhook, in
// the healthchecks.io convention (start -> <url>/start, failure -> <url>/fail, success ->
// <url>). The receiver's certificate is always verified. A failed webhook is the caller's to
// log: it never changes the outcome of a backup.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "full/history/history.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::status {

enum class WebhookEventKind { kStart, kSuccess, kFailure };

std::string_view WebhookEventName(WebhookEventKind kind);  // "start", "success", "failure"

// Which event announces a finished run, if any. Partial and interrupted runs are failures: a
// check that stays green while files go unsaved would hide exactly what it is there to catch.
// A run skipped because the previous one is still going announces nothing (that one will).
std::optional<WebhookEventKind> EventForOutcome(contract::RunStatus status);

struct WebhookEvent {
  WebhookEventKind kind = WebhookEventKind::kStart;
  std::string job;
  contract::RunStatus status = contract::RunStatus::kRunning;
  std::vector<std::string> snapshot_ids;
  std::int64_t files = 0;
  std::int64_t bytes = 0;
  std::int64_t errors = 0;
  std::string message;
  std::string host;
  std::int64_t started_ms = 0;
  std::optional<std::int64_t> finished_ms;
};

// The JSON body: {"job", "event", "status", "snapshot_ids", "files", "bytes", "errors",
// "message", "host", "started", "finished"} with RFC 3339 times (finished is null at start).
std::string WebhookBody(const WebhookEvent& event);

// The URL an event is sent to: `url` with "/start" or "/fail" added to its path.
std::string WebhookUrlFor(std::string_view url, WebhookEventKind kind);

struct WebhookSendOptions {
  // Pause before the second attempt; each further pause doubles, up to kMaxBackoff.
  std::chrono::milliseconds first_backoff{std::chrono::seconds(1)};
  // When delivery gives up, every attempt and pause included; unset: spec.total_timeout from
  // the call. Nothing outlives it: an attempt still waiting then has its connection shut down.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Set by another thread: no attempt after the current one (a pause in progress ends within
  // kStopLatency). The run's end sets it for a start webhook still retrying.
  std::shared_ptr<const std::atomic<bool>> stop_retrying;
  static constexpr std::chrono::milliseconds kStopLatency{50};
  static constexpr std::chrono::milliseconds kMaxBackoff{std::chrono::seconds(30)};
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: std::this_thread::sleep_for
};

struct WebhookResult {
  int attempts = 0;
  int http_status = 0;  // of the last answer; 0 when none came
  Status status;        // ok when a 2xx answer came
};

// Sends `event` if the spec has a URL and lists the event (else returns 0 attempts, ok). Tries
// 1 + spec.retries times: after no answer, a TLS failure, a 5xx, 408 or 429; other answers are
// final. Each step of an attempt (connect, TLS handshake, send, receive) is bounded by
// spec.timeout, and the whole delivery by the deadline: no attempt starts, and no pause is
// taken, that would end past it.
WebhookResult SendWebhook(const policy::WebhookSpec& spec, const WebhookEvent& event,
                          const WebhookSendOptions& options = {});

}  // namespace guestbackup::status
