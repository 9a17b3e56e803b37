// Runs the real `guestbackup` binary against a real kopia repository server on loopback
// (started once per test binary, with users alice@vm1 and bob@vm2 and ACLs enabled).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "full/demo/local_server.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace guestbackup::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The kopia binary the tests use: GUESTBACKUP_KOPIA from the build, else "kopia" on PATH.
std::string KopiaBinary();

// The shared server; aborts the test binary with a clear message when it cannot start.
demo::LocalKopiaServer& SharedServer();
const std::string& UserPassword(const std::string& username);

class Agent {
 public:
  // An agent acting as username@hostname with its own data dir, state dir and password file.
  Agent(std::string username, std::string hostname);

  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path data() const { return dir_.path() / "data"; }
  std::filesystem::path state() const { return dir_.path() / "state"; }
  std::string policy_path() const { return (dir_.path() / "policy.yaml").string(); }
  std::string password_file() const { return (dir_.path() / "password").string(); }
  std::string WriteData(const std::string& relative, const std::string& content) const {
    return dir_.WriteFile("data/" + relative, content);
  }

  // Writes policy.yaml: the server block (overridable) followed by `jobs_yaml`.
  void WritePolicy(const std::string& jobs_yaml,
                   const std::map<std::string, std::string>& server_overrides = {});

  // Runs `guestbackup --policy <policy> <args>`.
  CommandResult Run(const std::vector<std::string>& args,
                    const std::vector<std::string>& wrapper = {}) const;

  // Starts `guestbackup --policy <policy> <args>` in the background, its output discarded, and
  // returns its pid: for a test that kills it. The caller reaps it.
  pid_t Start(const std::vector<std::string>& args) const;

  // `kopia <args>` as its user would run it at the shell with the agent's own connection (its
  // kopia config, log directory and password), once the agent has connected.
  process::ProcessSpec BareKopia(const std::vector<std::string>& args) const;

 private:
  std::string username_, hostname_;
  TempDir dir_;
};

}  // namespace guestbackup::testing
