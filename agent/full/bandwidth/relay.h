// A TCP relay on loopback that holds kopia's traffic with the server to the policy's rates:
// kopia connects to 127.0.0.1:<port> instead of the server, and every byte goes through
// unchanged (TLS included, so the certificate kopia pins is still the server's), at most at
// the upload rate towards the server and the download rate back. Connections share the rates.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "full/bandwidth/token_bucket.h"
#include "lean/base/status.h"
#include "lean/policy/bandwidth.h"

namespace guestbackup::bandwidth {

// The rates in force now; asked about once a second, so a weekly window's start or end takes
// effect in a running backup.
using RateSource = std::function<policy::ByteRates()>;

// The policy's rates at this machine's local time.
RateSource LocalTimeRates(policy::BandwidthSpec spec);

struct RelayTarget {
  std::string host;  // a name (resolved for each connection) or an address
  std::uint16_t port = 0;
};

class Relay {
 public:
  // Listens on 127.0.0.1 at a port the system picks. kUnavailable when it cannot.
  static Result<std::unique_ptr<Relay>> Start(RelayTarget target, RateSource rates);

  // Stops listening, cuts every connection and waits for its threads.
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  std::uint16_t port() const { return port_; }
  policy::ByteRates current_rates() const;

 private:
  struct Impl;
  explicit Relay(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

}  // namespace guestbackup::bandwidth
