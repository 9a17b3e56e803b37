// The relay against an echo server on loopback: bytes arrive unchanged both ways on several
// connections at once, a rate holds a transfer back (a lower bound: it cannot be faster), the
// rates follow their source, an unreachable server closes kopia's connection, and stopping
// cuts open connections.
#include "full/bandwidth/relay.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace guestbackup::bandwidth {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Echoes every connection back until the test ends.
class EchoServer {
 public:
  EchoServer() : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    port_ = listener_.address().port();
    thread_ = std::thread([this] {
      while (!stop_) {
        if (!listener_.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket s = listener_.acceptConnection();
        echoes_.emplace_back([s]() mutable {
          std::vector<char> buffer(65536);
          try {
            for (int n; (n = s.receiveBytes(buffer.data(), static_cast<int>(buffer.size()))) > 0;) {
              s.sendBytes(buffer.data(), n);
            }
            s.shutdownSend();
          } catch (const Poco::Exception&) {
          }
        });
      }
    });
  }
  ~EchoServer() {
    stop_ = true;
    thread_.join();
    for (std::thread& t : echoes_) t.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  Poco::Net::ServerSocket listener_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> echoes_;
};

RateSource Fixed(policy::ByteRate up, policy::ByteRate down) {
  return [=] { return policy::ByteRates{up, down}; };
}

std::string RandomBytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  return bytes;
}

// Sends `data` through the relay and returns what comes back, up to the echo's end.
std::string RoundTrip(std::uint16_t relay_port, const std::string& data) {
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", relay_port));
  std::thread writer([&s, &data] {
    for (std::size_t sent = 0; sent < data.size();) {
      sent += static_cast<std::size_t>(s.sendBytes(
          data.data() + sent, static_cast<int>(std::min<std::size_t>(65536, data.size() - sent))));
    }
    s.shutdownSend();
  });
  std::string back;
  std::vector<char> buffer(65536);
  for (int n; (n = s.receiveBytes(buffer.data(), static_cast<int>(buffer.size()))) > 0;) {
    back.append(buffer.data(), static_cast<std::size_t>(n));
  }
  writer.join();
  return back;
}

TEST(Relay, PassesBytesUnchangedBothWaysOnSeveralConnections) {
  EchoServer echo;
  auto relay = Relay::Start({"127.0.0.1", echo.port()}, Fixed(policy::kUnlimited, 64u << 20));
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  std::vector<std::thread> clients;
  std::atomic<int> intact{0};
  for (unsigned i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      const std::string data = RandomBytes(1 << 20, i);
      if (RoundTrip((*relay)->port(), data) == data) ++intact;
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(intact.load(), 4);
}

TEST(Relay, HoldsATransferToTheRate) {
  EchoServer echo;
  // 384 KiB up at 128 KiB/s: 3 s less one burst of 6.4 KiB, whatever the machine.
  auto relay = Relay::Start({"127.0.0.1", echo.port()}, Fixed(128u << 10, policy::kUnlimited));
  ASSERT_TRUE(relay.ok());
  const std::string data = RandomBytes(384 << 10, 7);
  const auto start = Clock::now();
  EXPECT_TRUE(RoundTrip((*relay)->port(), data) == data);
  EXPECT_GE(Clock::now() - start, 2800ms);
}

TEST(Relay, FollowsItsRateSource) {
  EchoServer echo;
  std::atomic<policy::ByteRate> upload{1u << 20};
  auto relay = Relay::Start({"127.0.0.1", echo.port()}, [&] {
    return policy::ByteRates{upload.load(), policy::kUnlimited};
  });
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ((*relay)->current_rates(), (policy::ByteRates{1u << 20, policy::kUnlimited}));
  upload = 2u << 20;
  const auto deadline = Clock::now() + 10s;
  while ((*relay)->current_rates().upload != 2u << 20 && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ((*relay)->current_rates().upload, 2u << 20);
}

TEST(Relay, AnUnreachableServerClosesTheClientsConnection) {
  std::uint16_t closed_port = 0;
  {
    Poco::Net::ServerSocket gone(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed_port = gone.address().port();
  }
  auto relay = Relay::Start({"127.0.0.1", closed_port}, Fixed(1u << 20, 1u << 20));
  ASSERT_TRUE(relay.ok());
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", (*relay)->port()));
  s.setReceiveTimeout(Poco::Timespan(30, 0));
  char byte = 0;
  int received = -1;
  try {
    received = s.receiveBytes(&byte, 1);
  } catch (const Poco::Exception&) {
    received = 0;  // reset by the relay: closed all the same
  }
  EXPECT_EQ(received, 0);
}

TEST(Relay, StoppingCutsOpenConnections) {
  EchoServer echo;
  auto relay = Relay::Start({"127.0.0.1", echo.port()}, Fixed(1u << 20, 1u << 20));
  ASSERT_TRUE(relay.ok());
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", (*relay)->port()));
  s.setReceiveTimeout(Poco::Timespan(30, 0));
  s.sendBytes("x", 1);
  char byte = 0;
  ASSERT_EQ(s.receiveBytes(&byte, 1), 1);  // connected all the way through
  relay->reset();
  int received = -1;
  try {
    received = s.receiveBytes(&byte, 1);
  } catch (const Poco::Exception&) {
    received = 0;
  }
  EXPECT_EQ(received, 0);
}

}  // namespace
}  // namespace guestbackup::bandwidth
