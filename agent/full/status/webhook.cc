#include "full/status/webhook.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/Net.h>
#include <Poco/Net/SocketDefs.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <condition_variable>
#include <istream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "full/status/system_ca.h"
#if defined(_WIN32)
#include "full/status/windows_roots_win32.h"
#endif
#include "lean/base/time_format.h"

namespace guestbackup::status {
namespace {

using contract::RunStatus;
using Clock = std::chrono::steady_clock;

bool Wanted(const policy::WebhookSpec& spec, WebhookEventKind kind) {
  return !spec.url.empty() && std::find(spec.events.begin(), spec.events.end(),
                                        WebhookEventName(kind)) != spec.events.end();
}

bool WorthRetrying(int http_status) {
  return http_status >= 500 || http_status == 408 || http_status == 429;
}

constexpr const char* kCutOff = "no complete answer within total_timeout";

// Poco bounds each step of a request by its timeout, never the request as a whole (a receiver
// that sends a byte every few seconds keeps it going). This ends an attempt at the deadline:
// shutdown(2) on the connected socket wakes whatever step is blocked on it, and since the socket
// stays open (the session owns and closes it) nothing else can have been given its number.
class AttemptWatchdog {
 public:
  explicit AttemptWatchdog(Clock::time_point deadline)
      : thread_([this, deadline] {
          std::unique_lock lock(mu_);
          if (cv_.wait_until(lock, deadline, [this] { return done_; })) return;
          fired_ = true;
          if (socket_ != POCO_INVALID_SOCKET) ShutDown(socket_);
        }) {}
  ~AttemptWatchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  AttemptWatchdog(const AttemptWatchdog&) = delete;
  AttemptWatchdog& operator=(const AttemptWatchdog&) = delete;

  // The socket once connected (connecting itself is bounded by the attempt's timeout).
  void Watch(poco_socket_t socket) {
    std::lock_guard lock(mu_);
    socket_ = socket;
    if (fired_) ShutDown(socket_);
  }
  bool fired() {
    std::lock_guard lock(mu_);
    return fired_;
  }

 private:
  // Both directions: SHUT_RDWR, SD_BOTH on Windows.
  static void ShutDown(poco_socket_t socket) { ::shutdown(socket, 2); }
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  poco_socket_t socket_ = POCO_INVALID_SOCKET;
  std::thread thread_;  // last: starts once the members it uses exist
};

// Connects before the request is sent, so the watchdog gets the socket while nothing waits on
// it yet (Poco connects inside sendRequest otherwise; reconnect() is protected).
class WatchedSession : public Poco::Net::HTTPSClientSession {
 public:
  using HTTPSClientSession::HTTPSClientSession;
  poco_socket_t Connect() {
    reconnect();
    return socket().impl()->sockfd();
  }
};

// One POST, ended at `deadline` whatever step it is in. Sets *http_status when an answer came;
// Poco's exceptions become a Status here.
Status PostOnce(const Poco::Net::Context::Ptr& context, const Poco::URI& uri,
                std::chrono::milliseconds timeout, Clock::time_point deadline,
                const std::string& body, int* http_status) {
  WatchedSession session(uri.getHost(), uri.getPort(), context);
  // After the session: it stops before the session closes the socket.
  AttemptWatchdog watchdog(deadline);
  try {
    session.setTimeout(Poco::Timespan(std::chrono::microseconds(timeout).count()));
    watchdog.Watch(session.Connect());
    std::string path = uri.getPathAndQuery();
    if (path.empty()) path = "/";
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("User-Agent", "guestbackup");
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    in.ignore(std::numeric_limits<std::streamsize>::max());  // let the server finish
    if (watchdog.fired()) return Unavailable(kCutOff);
    *http_status = static_cast<int>(response.getStatus());
    if (*http_status >= 200 && *http_status < 300) return Status::Ok();
    return Failed("HTTP " + std::to_string(*http_status) + " " + response.getReason());
  } catch (const Poco::Exception& e) {
    if (watchdog.fired()) return Unavailable(kCutOff);
    return Unavailable(e.displayText());
  } catch (const std::exception& e) {
    if (watchdog.fired()) return Unavailable(kCutOff);
    return Unavailable(e.what());
  }
}

Result<Poco::Net::Context::Ptr> ClientContext(const policy::WebhookSpec& spec) {
  // Windows sockets need WSAStartup first, which Poco's static library does not run by itself
  // (nothing there on Linux); once per process.
  static const bool network_ready = (Poco::Net::initializeNetwork(), true);
  (void)network_ready;
  try {
    // VERIFY_STRICT: with RELAXED, Poco skips the host name check for "localhost" addresses.
    // Without a ca_file, OpenSSL's default paths and the distribution's bundle file.
    // On Windows, the machine's root store (windows_roots_win32.h).
    const bool system_trust = spec.ca_file.empty();
    Poco::Net::Context::Ptr context(new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", system_trust ? SystemCaBundle() : spec.ca_file,
        Poco::Net::Context::VERIFY_STRICT, 9, /*loadDefaultCAs=*/system_trust));
#if defined(_WIN32)
    if (system_trust) AddWindowsRootCertificates(context->sslContext());
#endif
    return context;
  } catch (const Poco::Exception& e) {
    return Failed("webhook TLS setup: " + e.displayText());
  }
}

// "https://hc-ping.com/…": the path of a check URL is its secret, so messages leave it out.
std::string Redacted(const Poco::URI& uri) {
  std::string out = uri.getScheme() + "://" + uri.getHost();
  if (uri.getPort() != 443) out += ":" + std::to_string(uri.getPort());
  return out + "/…";
}

}  // namespace

std::string_view WebhookEventName(WebhookEventKind kind) {
  switch (kind) {
    case WebhookEventKind::kStart:
      return "start";
    case WebhookEventKind::kSuccess:
      return "success";
    case WebhookEventKind::kFailure:
      return "failure";
  }
  return "unknown";
}

std::optional<WebhookEventKind> EventForOutcome(RunStatus status) {
  switch (status) {
    case RunStatus::kSucceeded:
      return WebhookEventKind::kSuccess;
    case RunStatus::kPartial:
    case RunStatus::kFailed:
    case RunStatus::kInterrupted:
      return WebhookEventKind::kFailure;
    case RunStatus::kRunning:
    case RunStatus::kSkipped:
      break;
  }
  return std::nullopt;
}

std::string WebhookBody(const WebhookEvent& e) {
  nlohmann::json body = {
      {"job", e.job},
      {"event", WebhookEventName(e.kind)},
      {"status", contract::RunStatusName(e.status)},
      {"snapshot_ids", e.snapshot_ids},
      {"files", e.files},
      {"bytes", e.bytes},
      {"errors", e.errors},
      {"message", e.message},
      {"host", e.host},
      {"started", FormatRfc3339Utc(e.started_ms)},
      {"finished",
       e.finished_ms ? nlohmann::json(FormatRfc3339Utc(*e.finished_ms)) : nlohmann::json()},
  };
  return body.dump();
}

std::string WebhookUrlFor(std::string_view url, WebhookEventKind kind) {
  std::string_view suffix;
  if (kind == WebhookEventKind::kStart) suffix = "/start";
  if (kind == WebhookEventKind::kFailure) suffix = "/fail";
  const std::size_t query = url.find_first_of("?#");
  std::string_view path = url.substr(0, query);
  const std::string_view rest = query == std::string_view::npos ? "" : url.substr(query);
  if (!suffix.empty() && path.ends_with('/')) path.remove_suffix(1);
  return std::string(path) + std::string(suffix) + std::string(rest);
}

WebhookResult SendWebhook(const policy::WebhookSpec& spec, const WebhookEvent& event,
                          const WebhookSendOptions& options) {
  WebhookResult result;
  if (!Wanted(spec, event.kind)) return result;
  const std::string url = WebhookUrlFor(spec.url, event.kind);
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    result.status = InvalidArgument("invalid webhook URL: " + e.displayText());
    return result;
  }
  Result<Poco::Net::Context::Ptr> context = ClientContext(spec);
  if (!context.ok()) {
    result.status = context.status();
    return result;
  }
  const std::string body = WebhookBody(event);
  const Clock::time_point deadline = options.deadline.value_or(Clock::now() + spec.total_timeout);
  const auto remaining = [deadline] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  };
  const auto stopped = [&options] {
    return options.stop_retrying && options.stop_retrying->load();
  };
  std::chrono::milliseconds backoff = options.first_backoff;
  for (int attempt = 0; attempt <= std::max(spec.retries, 0); ++attempt) {
    if (attempt > 0) {
      if (stopped()) {
        result.status = result.status.WithContext("no further attempt: the run has ended");
        break;
      }
      if (remaining() <= std::chrono::milliseconds(0)) break;  // the attempt ran into it
      // A pause that leaves no time for an answer after it is not worth taking.
      if (backoff >= remaining()) {
        result.status = result.status.WithContext("no time left for another attempt");
        break;
      }
      if (options.sleep) {
        options.sleep(backoff);
      } else {
        const Clock::time_point until = Clock::now() + backoff;
        while (!stopped() && Clock::now() < until) {
          std::this_thread::sleep_for(
              std::min<Clock::duration>(until - Clock::now(), WebhookSendOptions::kStopLatency));
        }
        if (stopped()) {
          result.status = result.status.WithContext("no further attempt: the run has ended");
          break;
        }
      }
      backoff = std::min(backoff * 2, WebhookSendOptions::kMaxBackoff);
    }
    const std::chrono::milliseconds left = remaining();
    if (left <= std::chrono::milliseconds(0)) {
      if (attempt == 0) result.status = Unavailable("no time left to send it");
      break;
    }
    ++result.attempts;
    result.http_status = 0;
    result.status =
        PostOnce(*context, uri, std::min(spec.timeout, left), deadline, body, &result.http_status);
    if (result.status.ok()) break;
    if (result.http_status != 0 && !WorthRetrying(result.http_status)) break;
  }
  if (!result.status.ok()) {
    result.status = result.status.WithContext(
        "webhook " + Redacted(uri) + " (" + std::to_string(result.attempts) +
        (result.attempts == 1 ? " attempt" : " attempts") + ")");
  }
  return result;
}

}  // namespace guestbackup::status
