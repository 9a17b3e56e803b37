// What happens around a run besides the backup itself: the start and end webhooks and the
// metrics textfile. Nothing here can fail a run; problems are logged.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "full/history/history.h"
#include "full/status/webhook.h"
#include "lean/policy/policy.h"

namespace guestbackup::status {

// One per run, on the thread that runs it. Started() sends the start webhook on a thread of
// its own, so a slow receiver never delays the backup; Finished() waits for it, so the
// receiver sees start before the end.
class RunAnnouncer {
 public:
  RunAnnouncer(const policy::Policy& policy, std::string state_dir, const policy::JobSpec& job,
               WebhookSendOptions send_options = {});
  ~RunAnnouncer();  // waits for a start webhook still being sent
  RunAnnouncer(const RunAnnouncer&) = delete;
  RunAnnouncer& operator=(const RunAnnouncer&) = delete;

  void Started(std::int64_t start_ms);
  // After the final history row: rewrites the metrics textfile, then sends the end webhook
  // (none for a skipped run).
  void Finished(history::HistoryDb& history, contract::RunStatus status,
                const history::RunOutcome& outcome);

 private:
  WebhookEvent Event(WebhookEventKind kind) const;

  const policy::Policy& policy_;
  std::string state_dir_;
  const policy::JobSpec& job_;
  WebhookSendOptions send_options_;
  std::string host_;
  std::int64_t start_ms_ = 0;
  std::thread start_sender_;
};

}  // namespace guestbackup::status
