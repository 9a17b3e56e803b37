// The two things being compared, each backing up its own tree as its own kopia identity on
// the same server: the agent (`guestbackup run`) and kopia run by hand with the agent's flags.
#pragma once

#include <string>

#include "agent_log.h"
#include "common/timing.h"
#include "lean/base/status.h"

namespace guestbackup::bench {

struct Identity {
  std::string server_url;
  std::string fingerprint;
  std::string username;
  std::string hostname;
  std::string password;
};

struct AgentSample {
  TimedRun run;
  AgentLog log;  // the kopia children the agent started, from its debug log
};

// `guestbackup --policy P --log-level debug run bench` with one job backing up `tree`.
class GuestbackupSide {
 public:
  // Writes the password file and policy under `work_dir`. Returns kIo when it cannot.
  static Result<GuestbackupSide> Create(const std::string& guestbackup_binary,
                                        const std::string& kopia_binary,
                                        const std::string& work_dir, const Identity& identity,
                                        const std::string& tree);

  // One run; an error when the agent did not exit 0.
  Result<AgentSample> Run() const;

 private:
  std::string binary_;
  std::string policy_;
};

// kopia connected with its own config file, snapshotting `tree` exactly as the agent does.
class BareKopiaSide {
 public:
  BareKopiaSide(std::string kopia_binary, const std::string& work_dir, Identity identity,
                std::string tree);

  // `kopia repository connect server ...`, timed. An error when kopia fails.
  Result<TimedRun> Connect() const;
  // `kopia snapshot create TREE --json --json-verbose --no-progress ...`, timed.
  Result<TimedRun> Snapshot() const;

 private:
  process::ProcessSpec Spec(std::vector<std::string> args) const;

  std::string kopia_;
  std::string config_file_, cache_dir_, log_dir_;
  Identity identity_;
  std::string tree_;
};

}  // namespace guestbackup::bench
