#include "dnsmasq_server.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "full/discovery/dns_srv.h"
#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"

namespace guestbackup::testing {

int FreeUdpPort() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::unique_ptr<DnsmasqServer> DnsmasqServer::Start(const std::vector<std::string>& record_options,
                                                    std::string* why) {
  std::string list = "/usr/sbin:/sbin:";
  if (const char* path = std::getenv("PATH")) list += path;
  auto binary = process::LocateExecutable("dnsmasq", list);
  if (!binary.ok()) {
    *why = "dnsmasq is not installed (scripts/setup installs dnsmasq-base)";
    return nullptr;
  }
  std::unique_ptr<DnsmasqServer> server(new DnsmasqServer());
  const int port = FreeUdpPort();
  server->address_ = "127.0.0.1:" + std::to_string(port);
  process::ProcessSpec spec;
  spec.argv = {*binary,
               "--no-daemon",
               "--conf-file=/dev/null",
               "--no-resolv",
               "--no-hosts",
               "--port=" + std::to_string(port),
               "--listen-address=127.0.0.1",
               "--bind-interfaces",
               "--local=/cluster.local/",
               "--log-facility=-"};
  if (geteuid() == 0) {  // as root it would switch to user "dnsmasq", which may not exist
    spec.argv.push_back(std::string("--user=") + getpwuid(0)->pw_name);
    spec.argv.push_back(std::string("--group=") + getgrgid(getegid())->gr_name);
  }
  spec.argv.insert(spec.argv.end(), record_options.begin(), record_options.end());
  spec.cancel = &server->stop_;
  spec.kill_grace = std::chrono::seconds(2);
  server->thread_ = std::thread([spec] { (void)process::Run(spec); });
  // Ready once it answers: ask for a name it refuses until then.
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto answer = discovery::LookupSrv("_probe._tcp.none.cluster.local", server->address_);
    if (answer.status().code() == StatusCode::kNotFound) return server;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *why = "dnsmasq did not answer on " + server->address_;
  return nullptr;
}

DnsmasqServer::~DnsmasqServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace guestbackup::testing
