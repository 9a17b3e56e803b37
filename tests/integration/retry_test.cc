// Retries against the real server: it is not reachable when the run starts (nothing listens on
// the policy's port yet) and becomes so a moment later, as when a fleet boots before its
// server; the run succeeds after retrying, says so in its log and its history, and a server
// that refuses the password is not retried.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using namespace std::chrono_literals;

// After `delay`, forwards connections on `port` to the shared server: the server "comes up".
class LateForwarder {
 public:
  LateForwarder(std::uint16_t port, std::chrono::milliseconds delay) {
    thread_ = std::thread([this, port, delay] {
      try {
        Serve(port, delay);
      } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "forwarder: " << e.displayText();
      }
    });
  }
  ~LateForwarder() {
    stop_ = true;
    thread_.join();
    for (std::thread& t : pumps_) t.join();
  }

 private:
  void Serve(std::uint16_t port, std::chrono::milliseconds delay) {
    std::this_thread::sleep_for(delay);
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", port));
    const Poco::URI server(SharedServer().url());
    while (!stop_) {
      if (!listener.poll(Poco::Timespan(0, 100'000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket client = listener.acceptConnection();
      Poco::Net::StreamSocket upstream(
          Poco::Net::SocketAddress(server.getHost(), server.getPort()));
      pumps_.emplace_back(Pump, client, upstream);
      pumps_.emplace_back(Pump, upstream, client);
    }
  }

  static void Pump(Poco::Net::StreamSocket from, Poco::Net::StreamSocket to) {
    char buffer[65536];
    try {
      for (int n; (n = from.receiveBytes(buffer, sizeof buffer)) > 0;) to.sendBytes(buffer, n);
      to.shutdownSend();
    } catch (const Poco::Exception&) {
      for (Poco::Net::StreamSocket* s : {&from, &to}) {
        try {
          s->shutdown();
        } catch (const Poco::Exception&) {
          // already closed
        }
      }
    }
  }

  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> pumps_;
};

std::uint16_t FreePort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return probe.address().port();
}

TEST(RetryTest, ARunRetriesUntilTheServerComesUp) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "a\n");
  const std::uint16_t port = FreePort();
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n",
                    {{"url", "https://127.0.0.1:" + std::to_string(port)}});
  LateForwarder server_comes_up(port, 1500ms);
  const CommandResult run = agent.Run({"run", "docs"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("server unreachable"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("; retrying in "), std::string::npos) << run.err;
  const CommandResult history = agent.Run({"history", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto rows = nlohmann::json::parse(history.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "succeeded");
  EXPECT_NE(rows[0]["message"].get<std::string>().find("retried "), std::string::npos)
      << rows[0]["message"];
}

TEST(RetryTest, ARefusedPasswordIsNotRetried) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "a\n");
  const std::string bad = (agent.root() / "bad-password").string();
  { std::ofstream(bad) << "not-the-password\n"; }
  std::filesystem::permissions(
      bad, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n",
                    {{"password_file", bad}});
  const CommandResult run = agent.Run({"run", "docs"});
  EXPECT_EQ(run.exit_code, 5) << run.out << run.err;
  EXPECT_EQ(run.err.find("retrying"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace guestbackup::testing
