#include "agent_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "lean/process/process.h"

namespace guestbackup::testing {
namespace {

struct Shared {
  TempDir dir;
  std::map<std::string, std::string> passwords = {{"alice", demo::RandomPassword()},
                                                  {"bob", demo::RandomPassword()}};
  std::unique_ptr<demo::LocalKopiaServer> server;
};

// Created on first use, so tests that need no server start none; deleted by the environment
// below after the last test, which stops the server and removes its repository directory, or
// at exit in programs that run no tests (the benchmarks that use this harness).
Shared* shared_instance = nullptr;

void DeleteShared() {
  delete shared_instance;
  shared_instance = nullptr;
}

class SharedServerCleanup : public ::testing::Environment {
 public:
  void TearDown() override { DeleteShared(); }
};

[[maybe_unused]] ::testing::Environment* const shared_server_cleanup =
    ::testing::AddGlobalTestEnvironment(new SharedServerCleanup);

Shared& GetShared() {
  if (shared_instance == nullptr) {
    auto* s = new Shared();
    demo::LocalServerOptions opts;
    opts.kopia_path = KopiaBinary();
    opts.work_dir = s->dir.path().string();
    opts.users = {{"alice", "vm1", s->passwords["alice"]}, {"bob", "vm2", s->passwords["bob"]}};
    auto started = demo::LocalKopiaServer::Start(opts);
    if (!started.ok()) {
      std::cerr << "cannot start the kopia test server with " << opts.kopia_path << ": "
                << started.status().ToString() << "\n";
      std::abort();
    }
    s->server = std::move(started).value();
    shared_instance = s;
    static const bool deleted_at_exit = std::atexit(DeleteShared) == 0;
    (void)deleted_at_exit;
  }
  return *shared_instance;
}

}  // namespace

std::string KopiaBinary() {
  const std::string configured = GUESTBACKUP_KOPIA;
  return configured.empty() ? "kopia" : configured;
}

demo::LocalKopiaServer& SharedServer() { return *GetShared().server; }

const std::string& UserPassword(const std::string& username) {
  return GetShared().passwords.at(username);
}

Agent::Agent(std::string username, std::string hostname)
    : username_(std::move(username)), hostname_(std::move(hostname)) {
  dir_.WriteFile("password", UserPassword(username_) + "\n", 0600);
  std::filesystem::create_directories(data());
}

void Agent::WritePolicy(const std::string& jobs_yaml,
                        const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> server = {{"url", SharedServer().url()},
                                               {"fingerprint", SharedServer().fingerprint()},
                                               {"username", username_},
                                               {"hostname", hostname_},
                                               {"password_file", password_file()}};
  for (const auto& [k, v] : overrides) server[k] = v;
  std::string yaml =
      "version: 1\nkopia: " + KopiaBinary() + "\nstate_dir: " + state().string() + "\nserver:\n";
  for (const auto& [k, v] : server) {
    if (!v.empty()) yaml += "  " + k + ": " + v + "\n";
  }
  yaml += "jobs:\n" + jobs_yaml;
  dir_.WriteFile("policy.yaml", yaml, 0600);
}

CommandResult Agent::Run(const std::vector<std::string>& args,
                         const std::vector<std::string>& wrapper) const {
  process::ProcessSpec spec;
  spec.argv = wrapper;
  spec.argv.push_back(GUESTBACKUP_BINARY);
  spec.argv.push_back("--policy");
  spec.argv.push_back(policy_path());
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  // kopia is resolved through the policy; keep the caller's PATH for hooks.
  spec.timeout = std::chrono::minutes(5);
  spec.stdout_limit = 4 * 1024 * 1024;
  spec.stderr_limit = 4 * 1024 * 1024;
  auto r = process::Run(spec);
  CommandResult out;
  if (!r.ok()) {
    out.err = r.status().ToString();
    return out;
  }
  out.exit_code = r->exited ? r->exit_code : 128 + r->term_signal;
  out.out = r->stdout_data;
  out.err = r->stderr_data;
  return out;
}

process::ProcessSpec Agent::BareKopia(const std::vector<std::string>& args) const {
  // The agent keeps one connection per server and identity: the only directory there.
  std::filesystem::path connection;
  for (const auto& entry : std::filesystem::directory_iterator(state() / "kopia")) {
    connection = entry.path();
  }
  process::ProcessSpec spec;
  spec.argv = {KopiaBinary(), "--config-file=" + (connection / "repository.config").string(),
               "--log-dir=" + (connection / "logs").string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.extra_env = {{"KOPIA_PASSWORD", UserPassword(username_)},
                    {"KOPIA_CHECK_FOR_UPDATES", "false"}};
  return spec;
}

pid_t Agent::Start(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {GUESTBACKUP_BINARY, "--policy", policy_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (std::string& arg : argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execv(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace guestbackup::testing
