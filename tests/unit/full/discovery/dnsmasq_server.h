// A real dnsmasq (Debian's dnsmasq-base) answering DNS on 127.0.0.1 at a free port, with the
// records a test gives it (`--srv-host=...`, `--host-record=...`); names under cluster.local
// it does not know get NXDOMAIN. Stopped (its process group) on destruction.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::testing {

class DnsmasqServer {
 public:
  // nullptr with `why` set when dnsmasq is not installed or does not start.
  static std::unique_ptr<DnsmasqServer> Start(const std::vector<std::string>& record_options,
                                              std::string* why);
  ~DnsmasqServer();
  DnsmasqServer(const DnsmasqServer&) = delete;
  DnsmasqServer& operator=(const DnsmasqServer&) = delete;

  // "127.0.0.1:PORT", as GUESTBACKUP_DNS_SERVER takes it.
  const std::string& address() const { return address_; }

 private:
  DnsmasqServer() = default;
  std::string address_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A loopback UDP port that nothing listened on a moment ago.
int FreeUdpPort();

#define GB_SKIP_WITHOUT(server, why) \
  if (!(server)) GTEST_SKIP() << (why)

}  // namespace guestbackup::testing
