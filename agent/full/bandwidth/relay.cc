#include "full/bandwidth/relay.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <vector>

#include "full/bandwidth/socket_copy.h"
#include "lean/base/civil_time.h"

namespace guestbackup::bandwidth {
namespace {

using namespace std::chrono_literals;

constexpr auto kConnectTimeout = 30s;
// How often the listener looks for new rates and finished connections.
constexpr auto kTick = 200ms;
constexpr auto kRatesEvery = 1s;

}  // namespace

RateSource LocalTimeRates(policy::BandwidthSpec spec) {
  return [spec = std::move(spec)] {
    std::tm local{};
    if (!LocalTm(std::time(nullptr), &local)) return policy::ByteRates{spec.upload, spec.download};
    return spec.RatesAt(local);
  };
}

// One relayed connection: kopia's socket, the server's, a thread for each direction.
struct Connection {
  Poco::Net::StreamSocket client;
  Poco::Net::StreamSocket server;
  std::thread upload;
  std::thread download;
  std::atomic<bool> cut{false};
  std::atomic<int> directions_done{0};
};

struct Relay::Impl {
  RelayTarget target;
  RateSource rates;
  Poco::Net::ServerSocket listener;
  TokenBucket upload_bucket;
  TokenBucket download_bucket;
  std::atomic<bool> stopping{false};
  std::mutex wake_mutex;
  std::condition_variable wake;       // cuts a wait short when stopping
  std::list<Connection> connections;  // the listener thread's only
  std::thread listener_thread;

  void UpdateRates() {
    const policy::ByteRates now = rates();
    upload_bucket.SetRate(now.upload);
    download_bucket.SetRate(now.download);
  }

  // Waits out the bucket's answer in slices, so that stopping is never late.
  void Hold(std::chrono::nanoseconds wait) {
    if (wait <= std::chrono::nanoseconds(0)) return;
    std::unique_lock lock(wake_mutex);
    wake.wait_for(lock, wait, [this] { return stopping.load(); });
  }

  // Copies one direction until its end or an error, then passes the end on.
  void Pump(Poco::Net::StreamSocket& from, Poco::Net::StreamSocket& to, TokenBucket& bucket,
            Connection& connection) {
    try {
      const std::unique_ptr<SocketCopy> copy =
          SocketCopy::Create(TokenBucket::ChunkFor(policy::kUnlimited));
      if (!copy) throw Poco::IOException("no pipe for the relay");
      // A blocked receive is not ended by shutdown() on every system (Windows), so receives
      // time out now and then to look at the flags; a timeout costs no system call of its
      // own, where a poll before each receive would.
      from.setReceiveTimeout(Poco::Timespan(std::chrono::microseconds(kTick).count()));
      while (!stopping && !connection.cut) {
        const long received = copy->Receive(from, TokenBucket::ChunkFor(bucket.rate()));
        if (received < 0) continue;  // the timeout: look at the flags
        if (received == 0) break;
        Hold(bucket.Take(static_cast<std::size_t>(received)));
        copy->SendAll(to, static_cast<std::size_t>(received));
      }
      to.shutdownSend();
    } catch (const Poco::Exception&) {
      // The other side went away: cut both, so the other direction ends too.
      Cut(connection);
    }
    ++connection.directions_done;
  }

  static void Cut(Connection& connection) {
    connection.cut = true;
    for (Poco::Net::StreamSocket* socket : {&connection.client, &connection.server}) {
      try {
        socket->shutdown();
      } catch (const Poco::Exception& e) {
        spdlog::debug("bandwidth relay: closing a connection: {}", e.displayText());  // closed
      }
    }
  }

  void Accept() {
    Poco::Net::StreamSocket client = listener.acceptConnection();
    client.setNoDelay(true);
    Poco::Net::StreamSocket server;
    try {
      server.connect(
          Poco::Net::SocketAddress(target.host, target.port),
          Poco::Timespan(
              std::chrono::duration_cast<std::chrono::microseconds>(kConnectTimeout).count()));
      server.setNoDelay(true);
    } catch (const Poco::Exception& e) {
      // kopia sees its connection closed and reports the server unreachable, as it would have.
      spdlog::warn("bandwidth relay: cannot reach {}:{}: {}", target.host, target.port,
                   e.displayText());
      client.close();
      return;
    }
    Connection& c = connections.emplace_back();
    c.client = client;
    c.server = server;
    c.upload = std::thread([this, &c] { Pump(c.client, c.server, upload_bucket, c); });
    c.download = std::thread([this, &c] { Pump(c.server, c.client, download_bucket, c); });
  }

  void ReapFinished() {
    for (auto it = connections.begin(); it != connections.end();) {
      if (it->directions_done.load() < 2) {
        ++it;
        continue;
      }
      it->upload.join();
      it->download.join();
      it = connections.erase(it);
    }
  }

  void Listen() {
    auto rates_due = std::chrono::steady_clock::now() + kRatesEvery;
    while (!stopping) {
      try {
        if (listener.poll(Poco::Timespan(std::chrono::microseconds(kTick).count()),
                          Poco::Net::Socket::SELECT_READ)) {
          Accept();
        }
      } catch (const Poco::Exception& e) {
        if (!stopping) spdlog::warn("bandwidth relay: {}", e.displayText());
      }
      if (std::chrono::steady_clock::now() >= rates_due) {
        UpdateRates();
        rates_due = std::chrono::steady_clock::now() + kRatesEvery;
      }
      ReapFinished();
    }
  }

  void Stop() {
    {
      std::lock_guard lock(wake_mutex);
      stopping = true;
    }
    wake.notify_all();
    if (listener_thread.joinable()) listener_thread.join();
    for (Connection& c : connections) Cut(c);
    for (Connection& c : connections) {
      c.upload.join();
      c.download.join();
    }
    connections.clear();
    listener.close();
  }
};

Result<std::unique_ptr<Relay>> Relay::Start(RelayTarget target, RateSource rates) {
  // Windows sockets need WSAStartup first, which Poco's static library does not run itself.
  static const bool network_ready = (Poco::Net::initializeNetwork(), true);
  (void)network_ready;
  auto impl = std::make_unique<Impl>();
  impl->target = std::move(target);
  impl->rates = std::move(rates);
  impl->UpdateRates();
  try {
    impl->listener.bind(Poco::Net::SocketAddress("127.0.0.1", 0), /*reuseAddress=*/false);
    impl->listener.listen(64);
  } catch (const Poco::Exception& e) {
    return Unavailable("bandwidth relay: cannot listen on 127.0.0.1: " + e.displayText());
  }
  Impl* raw = impl.get();
  std::unique_ptr<Relay> relay(new Relay(std::move(impl)));
  relay->port_ = raw->listener.address().port();
  raw->listener_thread = std::thread([raw] { raw->Listen(); });
  return relay;
}

Relay::Relay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Relay::~Relay() { impl_->Stop(); }

policy::ByteRates Relay::current_rates() const {
  return {impl_->upload_bucket.rate(), impl_->download_bucket.rate()};
}

}  // namespace guestbackup::bandwidth
