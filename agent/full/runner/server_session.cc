#include "full/runner/server_session.h"

#include <spdlog/spdlog.h>

#include "full/discovery/discovery.h"
#include "lean/platform/atomic_file.h"
#include "lean/platform/credential_file.h"

namespace guestbackup::runner {
namespace {

// A CA that came from a config disk, as the file kopia's TLS stack reads (SSL_CERT_FILE).
// Not secret; rewritten only when it changed.
Result<std::string> WriteDiscoveredCa(const std::string& state_dir, const std::string& pem) {
  const std::string path = state_dir + "/discovered-ca.crt";
  GB_RETURN_IF_ERROR(platform::WriteFileAtomically(path, pem, 0644));
  return path;
}

}  // namespace

Result<ServerSession> OpenServerSession(const context::AgentContext& context,
                                        const std::atomic<bool>* cancel) {
  const discovery::DiscoveryReport report =
      discovery::Discover(context.discovery, context.policy, /*read_all=*/false);
  auto server = discovery::RequireServer(report);
  if (!server.ok()) return server.status();
  // Problems of sources that decided nothing (shadowed by higher ones) do not stop the run.
  for (const std::string& problem : report.Problems()) spdlog::debug("discovery: {}", problem);
  spdlog::debug("server {} as {}@{}, password from {}", server->url, server->username,
                server->hostname, server->password_origin);

  std::string password = server->password;
  if (!server->password_file.empty()) {
    auto from_file = platform::ReadCredentialFile(server->password_file);
    if (!from_file.ok()) return from_file.status();
    password = std::move(from_file).value();
  }
  std::string ca_file = server->ca_file;
  if (!server->ca_pem.empty()) {
    auto written = WriteDiscoveredCa(context.state_dir, server->ca_pem);
    if (!written.ok()) return written.status();
    ca_file = *written;
  }

  ServerSession session;
  session.endpoint = {server->url, server->fingerprint, server->username, server->hostname};
  session.paths = kopia::ConnectionPathsFor(context.state_dir, session.endpoint);
  kopia::KopiaEnvironment env;
  env.kopia_path = context.kopia_path;
  env.config_file = session.paths.config_file;
  env.log_dir = session.paths.log_dir;
  env.password = std::move(password);
  env.ca_file = ca_file;
  env.cancel = cancel;
  session.client.emplace(std::move(env));
  GB_RETURN_IF_ERROR(kopia::EnsureConnected(*session.client, session.endpoint, session.paths));
  return session;
}

}  // namespace guestbackup::runner
