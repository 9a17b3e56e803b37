#include "full/demo/local_server.h"

#include <openssl/rand.h>

#include <spdlog/spdlog.h>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "full/kopia/cert_fingerprint.h"
#include "full/kopia/kopia_client.h"
#include "full/kopia/password_hash.h"
#include "lean/base/secret_masker.h"
#include "lean/base/sha256.h"
#include "lean/process/process.h"

namespace guestbackup::demo {
namespace {

using namespace std::chrono_literals;

// What the server thread learns from kopia's stderr, shared with the starting thread.
struct StartupState {
  std::mutex mu;
  std::condition_variable cv;
  std::string stderr_text;
  std::string url;
  bool exited = false;
  std::string exit_description;
};

void ScanForAddress(StartupState& st) {
  static const std::string kMarker = "SERVER ADDRESS: ";
  const auto pos = st.stderr_text.find(kMarker);
  if (pos == std::string::npos) return;
  const auto end = st.stderr_text.find('\n', pos);
  if (end == std::string::npos) return;
  st.url = st.stderr_text.substr(pos + kMarker.size(), end - pos - kMarker.size());
  while (!st.url.empty() && (st.url.back() == '\r' || st.url.back() == ' ')) st.url.pop_back();
}

}  // namespace

std::string RandomPassword(int bytes) {
  std::vector<unsigned char> raw(static_cast<std::size_t>(bytes));
  RAND_bytes(raw.data(), bytes);
  return HexEncode(raw.data(), raw.size());
}

Result<std::unique_ptr<LocalKopiaServer>> LocalKopiaServer::Start(
    const LocalServerOptions& options) {
  namespace fs = std::filesystem;
  std::unique_ptr<LocalKopiaServer> server(new LocalKopiaServer());
  const std::string admin_dir = options.work_dir + "/server-admin";
  server->repository_dir_ = options.work_dir + "/repository";
  std::error_code ec;
  fs::create_directories(admin_dir, ec);
  fs::create_directories(server->repository_dir_, ec);
  if (ec) return IoError("cannot create " + options.work_dir + ": " + ec.message());

  const std::string repo_password = RandomPassword();
  kopia::KopiaEnvironment env;
  env.kopia_path = options.kopia_path;
  env.config_file = admin_dir + "/repository.config";
  env.log_dir = admin_dir + "/logs";
  env.password = repo_password;
  env.cancel = options.cancel;
  kopia::KopiaClient admin(env);
  auto created = admin.RunRaw(
      {"repository", "create", "filesystem", "--path=" + server->repository_dir_,
       "--cache-directory=" + admin_dir + "/cache", "--override-username=guestbackup-admin",
       "--override-hostname=local-server", "--no-persist-credentials", "--no-check-for-updates"},
      "create the repository");
  if (!created.ok()) return created.status();
  auto acl = admin.RunRaw({"server", "acl", "enable"}, "enable ACLs");
  if (!acl.ok()) return acl.status();
  for (const auto& user : options.users) {
    RegisterSecret(user.password);
    auto hash = kopia::HashUserPassword(user.password);
    if (!hash.ok()) return hash.status();
    RegisterSecret(*hash);
    const std::string name = user.username + "@" + user.hostname;
    auto added = admin.RunRaw({"server", "user", "add", name, "--user-password-hash=" + *hash},
                              "add user " + name);
    if (!added.ok()) return added.status();
  }
  GB_RETURN_IF_ERROR(server->Launch(options, admin));
  return server;
}

Status LocalKopiaServer::Launch(const LocalServerOptions& options,
                                const kopia::KopiaClient& admin) {
  const std::string admin_dir = options.work_dir + "/server-admin";
  cert_file_ = options.work_dir + "/server-admin/tls.crt";
  const std::string control_password = RandomPassword();
  RegisterSecret(control_password);

  auto st = std::make_shared<StartupState>();
  // The admin connection's own command: its config, password and cleared environment.
  process::ProcessSpec spec =
      admin.CommandSpec({"server", "start", "--tls-generate-cert", "--tls-cert-file=" + cert_file_,
                         "--tls-key-file=" + admin_dir + "/tls.key", "--address=127.0.0.1:0",
                         "--no-ui", "--server-control-username=guestbackup-control"});
  spec.extra_env.emplace_back("KOPIA_SERVER_CONTROL_PASSWORD", control_password);
  spec.cancel = &stop_;
  spec.kill_grace = 5s;
  spec.on_stderr = [st](std::string_view chunk) {
    std::lock_guard<std::mutex> lock(st->mu);
    if (st->stderr_text.size() < std::size_t{64} * 1024) st->stderr_text.append(chunk);
    if (st->url.empty()) {
      ScanForAddress(*st);
      if (!st->url.empty()) st->cv.notify_all();
    }
  };
  thread_ = std::thread([spec, st] {
    auto r = process::Run(spec);
    std::lock_guard<std::mutex> lock(st->mu);
    st->exited = true;
    st->exit_description = r.ok() ? r->Describe() : r.status().message();
    st->cv.notify_all();
  });

  std::unique_lock<std::mutex> lock(st->mu);
  const auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (st->url.empty() && !st->exited && !cancelled() &&
         std::chrono::steady_clock::now() < deadline) {
    st->cv.wait_for(lock, 100ms);
  }
  if (cancelled()) {
    lock.unlock();
    Stop();
    return Interrupted("interrupted while starting the kopia server");
  }
  const bool ready = !st->url.empty();
  if (!ready || st->url.empty()) {
    const std::string why = st->exited ? "kopia server exited (" + st->exit_description + ")"
                                       : "kopia server did not report its address within 60s";
    const std::string tail = st->stderr_text.size() > 2000
                                 ? st->stderr_text.substr(st->stderr_text.size() - 2000)
                                 : st->stderr_text;
    lock.unlock();
    Stop();
    return Failed(why + ": " + MaskSecrets(tail));
  }
  url_ = st->url;
  lock.unlock();
  auto fp = kopia::CertificateFingerprintFromPemFile(cert_file_);
  if (!fp.ok()) {
    Stop();
    return fp.status();
  }
  fingerprint_ = *fp;
  spdlog::debug("local kopia server at {} (certificate SHA-256 {})", url_, fingerprint_);
  return Status::Ok();
}

void LocalKopiaServer::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

LocalKopiaServer::~LocalKopiaServer() { Stop(); }

}  // namespace guestbackup::demo
