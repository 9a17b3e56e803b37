// OpenServerSession apart from the policy loading in agent_context.cc, so that programs that
// only load the policy (the daemon) do not link the kopia client.
#include "core/platform/credential_file.h"
#include "core/runner/agent_context.h"

namespace guestbackup::runner {

Result<ServerSession> OpenServerSession(const AgentContext& context,
                                        const std::atomic<bool>* cancel) {
  const policy::ServerSpec& server = context.policy.server;
  if (server.url.empty()) {
    return InvalidArgument(
        "no server configured: set server.url (and fingerprint, username, "
        "hostname, password_file) in " +
        context.policy.source_path);
  }
  auto password = platform::ReadCredentialFile(server.password_file);
  if (!password.ok()) return password.status();

  ServerSession session;
  session.endpoint = {server.url, server.fingerprint, server.username, server.hostname};
  session.paths = kopia::ConnectionPathsFor(context.state_dir, session.endpoint);
  kopia::KopiaEnvironment env;
  env.kopia_path = context.kopia_path;
  env.config_file = session.paths.config_file;
  env.log_dir = session.paths.log_dir;
  env.password = std::move(password).value();
  env.ca_file = server.ca_file;
  env.cancel = cancel;
  session.client.emplace(std::move(env));
  GB_RETURN_IF_ERROR(kopia::EnsureConnected(*session.client, session.endpoint, session.paths));
  return session;
}

}  // namespace guestbackup::runner
