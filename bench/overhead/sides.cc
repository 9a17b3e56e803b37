#include "sides.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "lean/base/secret_masker.h"

namespace guestbackup::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kOutputLimit = 16 * 1024 * 1024;

Status WritePrivateFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IoError("cannot write " + path);
  if (chmod(path.c_str(), 0600) != 0) return IoError("cannot chmod 0600 " + path);
  return Status::Ok();
}

}  // namespace

Result<GuestbackupSide> GuestbackupSide::Create(const std::string& guestbackup_binary,
                                                const std::string& kopia_binary,
                                                const std::string& work_dir,
                                                const Identity& identity, const std::string& tree) {
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);
  if (ec) return IoError("cannot create " + work_dir + ": " + ec.message());
  RegisterSecret(identity.password);
  const std::string password_file = work_dir + "/password";
  GB_RETURN_IF_ERROR(WritePrivateFile(password_file, identity.password + "\n"));
  GuestbackupSide side;
  side.binary_ = guestbackup_binary;
  side.policy_ = work_dir + "/policy.yaml";
  // No retention, compression or excludes: the policy the agent applies then equals kopia's
  // defaults, which is what the bare side runs with.
  GB_RETURN_IF_ERROR(WritePrivateFile(side.policy_,
                                      "version: 1\n"
                                      "kopia: " +
                                          kopia_binary +
                                          "\n"
                                          "state_dir: " +
                                          work_dir +
                                          "/state\n"
                                          "server:\n"
                                          "  url: " +
                                          identity.server_url +
                                          "\n"
                                          "  fingerprint: " +
                                          identity.fingerprint +
                                          "\n"
                                          "  username: " +
                                          identity.username +
                                          "\n"
                                          "  hostname: " +
                                          identity.hostname +
                                          "\n"
                                          "  password_file: " +
                                          password_file +
                                          "\n"
                                          "jobs:\n"
                                          "  bench:\n"
                                          "    paths: [" +
                                          tree + "]\n"));
  return side;
}

Result<AgentSample> GuestbackupSide::Run() const {
  process::ProcessSpec spec;
  spec.argv = {binary_, "--policy", policy_, "--log-level", "debug", "run", "bench"};
  spec.timeout = 2h;
  spec.stderr_limit = kOutputLimit;
  auto run = RunTimed(spec);
  if (!run.ok()) return run.status().WithContext("guestbackup run");
  AgentSample sample;
  sample.log = ParseAgentLog(run->result.stderr_data);
  sample.run = std::move(run).value();
  return sample;
}

BareKopiaSide::BareKopiaSide(std::string kopia_binary, const std::string& work_dir,
                             Identity identity, std::string tree)
    : kopia_(std::move(kopia_binary)),
      config_file_(work_dir + "/repository.config"),
      cache_dir_(work_dir + "/cache"),
      log_dir_(work_dir + "/logs"),
      identity_(std::move(identity)),
      tree_(std::move(tree)) {
  RegisterSecret(identity_.password);
}

// The agent's environment for kopia (kopia_client.cc Prepare): the password only in the
// environment, update checks off, kopia's own config variables cleared.
process::ProcessSpec BareKopiaSide::Spec(std::vector<std::string> args) const {
  process::ProcessSpec spec;
  spec.argv.push_back(kopia_);
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.argv.push_back("--config-file=" + config_file_);
  spec.argv.push_back("--log-dir=" + log_dir_);
  spec.unset_env = {"KOPIA_CONFIG_PATH", "KOPIA_CACHE_DIRECTORY",
                    "KOPIA_LOG_DIR",     "KOPIA_PERSIST_CREDENTIALS_ON_CONNECT",
                    "KOPIA_USE_KEYRING", "KOPIA_SNAPSHOT_FAIL_FAST"};
  spec.extra_env = {
      {"KOPIA_PASSWORD", identity_.password}, {"KOPIA_CHECK_FOR_UPDATES", "false"}, {"TZ", "UTC"}};
  spec.timeout = 2h;
  spec.stdout_limit = kOutputLimit;
  return spec;
}

Result<TimedRun> BareKopiaSide::Connect() const {
  auto run = RunTimed(Spec({"repository", "connect", "server", "--url=" + identity_.server_url,
                            "--server-cert-fingerprint=" + identity_.fingerprint,
                            "--override-username=" + identity_.username,
                            "--override-hostname=" + identity_.hostname, "--no-persist-credentials",
                            "--no-check-for-updates", "--cache-directory=" + cache_dir_}));
  if (!run.ok()) return run.status().WithContext("kopia repository connect");
  return run;
}

// The agent adds --description and --tags; they only change the manifest's text, so the
// bare side passes the same ones to upload the same amount of metadata.
Result<TimedRun> BareKopiaSide::Snapshot() const {
  auto run =
      RunTimed(Spec({"snapshot", "create", tree_, "--json", "--json-verbose",
                     "--description=guestbackup job bench", "--tags=job:bench", "--no-progress"}));
  if (!run.ok()) return run.status().WithContext("kopia snapshot create");
  return run;
}

}  // namespace guestbackup::bench
