#include "full/runner/server_session.h"

#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include "full/discovery/discovery.h"
#include "full/kopia/cert_fingerprint.h"
#include "full/runner/retry.h"
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

// Starts the relay and points a copy of the connection's kopia config at it. The certificate
// kopia pins through the relay is the endpoint's fingerprint or, when the server is trusted by
// a CA, the certificate just verified against that CA and the server's name (which kopia
// could not check against 127.0.0.1 itself).
Result<std::string> RelayConnection(ServerSession& session, const std::string& ca_file,
                                    const policy::BandwidthSpec& bandwidth) {
  const Poco::URI url(session.endpoint.url);
  const bandwidth::RelayTarget target{url.getHost(), url.getPort()};
  std::string fingerprint = session.endpoint.fingerprint;
  if (fingerprint.empty()) {
    auto verified = kopia::VerifiedServerFingerprint(target.host, target.port, ca_file);
    if (!verified.ok()) return verified.status();
    fingerprint = std::move(verified).value();
  }
  auto relay = bandwidth::Relay::Start(target, bandwidth::LocalTimeRates(bandwidth));
  if (!relay.ok()) return relay.status();
  session.relay = std::move(relay).value();
  const policy::ByteRates now = session.relay->current_rates();
  spdlog::info("bandwidth: kopia reaches {} through 127.0.0.1:{}, now at most {} up, {} down",
               session.endpoint.url, session.relay->port(), policy::FormatByteRate(now.upload),
               policy::FormatByteRate(now.download));
  return kopia::WriteRelayedConfig(
      session.paths, "https://127.0.0.1:" + std::to_string(session.relay->port()), fingerprint);
}

}  // namespace

Result<ServerSession> OpenServerSession(const context::AgentContext& context,
                                        const policy::BandwidthSpec& bandwidth,
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
  session.client.emplace(env);
  Retrier retrier("connect to " + session.endpoint.url, cancel);
  for (;;) {
    const Status connected =
        kopia::EnsureConnected(*session.client, session.endpoint, session.paths);
    if (connected.ok()) break;
    if (!retrier.Again(connected)) return connected;
  }
  session.connect_retries = retrier.retries();
  if (!bandwidth.Unlimited()) {
    auto relayed_config = RelayConnection(session, ca_file, bandwidth);
    if (!relayed_config.ok()) return relayed_config.status().WithContext("bandwidth limit");
    env.config_file = std::move(relayed_config).value();
  }
  auto uncached_config = kopia::WriteUncachedConfig(env.config_file);
  if (!uncached_config.ok()) return uncached_config.status();
  env.uncached_config_file = std::move(uncached_config).value();
  session.client.emplace(std::move(env));
  return session;
}

}  // namespace guestbackup::runner
