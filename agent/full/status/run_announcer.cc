#include "full/status/run_announcer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "full/status/metrics_textfile.h"
#ifdef _WIN32
#include "full/status/event_log.h"
#endif
#include "lean/base/time_format.h"
#include "lean/platform/host_name.h"

namespace guestbackup::status {
namespace {

void Send(const policy::WebhookSpec& spec, const WebhookEvent& event,
          const WebhookSendOptions& options) {
  const WebhookResult result = SendWebhook(spec, event, options);
  if (!result.status.ok()) {
    spdlog::warn("job {}: {} notification not delivered: {}", event.job,
                 WebhookEventName(event.kind), result.status.ToString());
  }
}

}  // namespace

RunAnnouncer::RunAnnouncer(const policy::Policy& policy, std::string state_dir,
                           const policy::JobSpec& job, WebhookSendOptions send_options)
    : policy_(policy),
      state_dir_(std::move(state_dir)),
      job_(job),
      send_options_(std::move(send_options)),
      host_(platform::HostName()) {}

RunAnnouncer::~RunAnnouncer() { WaitForDelivery(); }

void RunAnnouncer::WaitForDelivery() {
  if (end_sender_.joinable()) end_sender_.join();
  if (start_sender_.joinable()) start_sender_.join();
}

WebhookEvent RunAnnouncer::Event(WebhookEventKind kind) const {
  WebhookEvent event;
  event.kind = kind;
  event.job = job_.name;
  event.host = host_;
  event.started_ms = start_ms_;
  return event;
}

void RunAnnouncer::Started(std::int64_t start_ms) {
  start_ms_ = start_ms;
  WebhookEvent event = Event(WebhookEventKind::kStart);
  WebhookSendOptions options = send_options_;
  options.stop_retrying = start_stop_retrying_;
  start_sender_ = std::thread([spec = job_.webhook, event = std::move(event),
                               options = std::move(options)] { Send(spec, event, options); });
}

void RunAnnouncer::Finished(history::HistoryDb& history, std::int64_t run_id,
                            contract::RunStatus status, const history::RunOutcome& outcome) {
  const std::string textfile = MetricsTextfilePath(policy_, state_dir_);
  if (Status s = WriteMetricsTextfile(history, policy_, textfile); !s.ok()) {
    spdlog::warn("job {}: metrics not written: {}", job_.name, s.ToString());
  }
#ifdef _WIN32
  ReportRunEvent(job_.name, run_id, status, outcome.message);
#else
  (void)run_id;  // the journal has the run's line already
#endif
  // A start webhook still retrying makes no new attempt; its current one ends by its own
  // deadline, which is before the outcome's.
  start_stop_retrying_->store(true);
  const std::optional<WebhookEventKind> kind = EventForOutcome(status);
  if (!kind || end_sender_.joinable()) return;
  WebhookEvent event = Event(*kind);
  event.status = status;
  event.snapshot_ids = outcome.snapshot_ids;
  event.files = outcome.files;
  event.bytes = outcome.bytes;
  event.errors = outcome.errors;
  event.message = outcome.message;
  event.finished_ms = outcome.end_ms;
  WebhookSendOptions options = send_options_;
  if (!options.deadline) {
    options.deadline = std::chrono::steady_clock::now() + job_.webhook.total_timeout;
  }
  end_sender_ = std::thread(
      [this, spec = job_.webhook, event = std::move(event), options = std::move(options)] {
        if (start_sender_.joinable()) start_sender_.join();
        Send(spec, event, options);
      });
}

}  // namespace guestbackup::status
