// What happens around a run besides the backup itself: the start and end webhooks, the
// metrics textfile and, on Windows, the Event Log. Nothing here can fail a run; problems are
// logged.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "full/history/history.h"
#include "full/status/webhook.h"
#include "lean/policy/policy.h"

namespace guestbackup::status {

// One per run. Webhooks go out on threads of their own: the start one while the backup runs,
// the end one while the command prints its result. The end one is sent after the start one
// (so the receiver sees them in order), which Finished() tells to stop retrying. The end of a
// run therefore waits only in WaitForDelivery(), and there at most the webhook's
// total_timeout from Finished().
class RunAnnouncer {
 public:
  RunAnnouncer(const policy::Policy& policy, std::string state_dir, const policy::JobSpec& job,
               WebhookSendOptions send_options = {});
  ~RunAnnouncer();  // WaitForDelivery()
  RunAnnouncer(const RunAnnouncer&) = delete;
  RunAnnouncer& operator=(const RunAnnouncer&) = delete;

  void Started(std::int64_t start_ms);
  // After the final history row `run_id`: rewrites the metrics textfile, writes the Event Log
  // event (Windows), then starts sending the end webhook (none for a skipped run) and returns.
  void Finished(history::HistoryDb& history, std::int64_t run_id, contract::RunStatus status,
                const history::RunOutcome& outcome);
  // Until every webhook is delivered or has given up.
  void WaitForDelivery();

 private:
  WebhookEvent Event(WebhookEventKind kind) const;

  const policy::Policy& policy_;
  std::string state_dir_;
  const policy::JobSpec& job_;
  WebhookSendOptions send_options_;
  std::string host_;
  std::int64_t start_ms_ = 0;
  std::shared_ptr<std::atomic<bool>> start_stop_retrying_ =
      std::make_shared<std::atomic<bool>>(false);
  std::thread start_sender_;
  std::thread end_sender_;  // joins start_sender_ first
};

}  // namespace guestbackup::status
