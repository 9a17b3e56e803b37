// `guestbackup demo`: the whole loop on this machine with nothing configured — a throwaway
// filesystem repository behind a TLS kopia server on 127.0.0.1, a user with ACLs, a policy,
// two backups, a restore of the earlier version by path proven byte for byte, the history.
// It drives the real CLI (RunCli) so every step is a command a user could type.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/run_cli.h"
#include "full/demo/local_server.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

namespace fs = std::filesystem;

struct DemoOptions {
  bool keep = false;
  std::string kopia = "kopia";
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;  // 0600
constexpr fs::perms kReadable = kOwnerOnly | fs::perms::group_read | fs::perms::others_read;

void WriteAll(const fs::path& p, const std::string& text, fs::perms mode = kReadable) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  std::error_code ec;
  fs::permissions(p, mode, fs::perm_options::replace, ec);
}

// Removes the demo directory unless --keep was given.
class DemoDir {
 public:
  DemoDir(fs::path path, bool keep) : path_(std::move(path)), keep_(keep) {}
  ~DemoDir() {
    if (keep_) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  DemoDir(const DemoDir&) = delete;
  DemoDir& operator=(const DemoDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool keep_;
};

class Demo {
 public:
  Demo(DemoOptions opts, CliState& state)
      : opts_(std::move(opts)), state_(state), out_(*state.out) {}
  int Run();

 private:
  // Prints the step's title; false when Ctrl-C asked us to stop (the caller returns
  // Stopped(), and the destructors stop the server and remove the directory).
  bool Step(const std::string& title) {
    if (Cancelled()) return false;
    // Flush: someone may be watching through a pipe (`scripts/demo | tee demo.log`).
    out_ << "\n[" << ++step_ << "/8] " << title << std::endl;
    return true;
  }
  int Stopped() {
    out_ << "\ninterrupted: stopping the server and removing the demo directory\n";
    return contract::kExitInterrupted;
  }
  // Runs a guestbackup command in-process, echoing it like a shell transcript.
  int Cli(std::vector<std::string> args) {
    std::vector<std::string> full = {"--policy", policy_, "--kopia", opts_.kopia};
    full.insert(full.end(), args.begin(), args.end());
    out_ << "$ guestbackup";
    for (const auto& a : args) out_ << " " << a;
    out_ << std::endl;
    const int rc = Cancelled() ? contract::kExitInterrupted : RunCli(full, out_, *state_.err);
    out_ << std::flush;
    return rc == contract::kExitInterrupted ? Stopped() : rc;
  }
  bool Cancelled() const { return state_.cancel != nullptr && state_.cancel->load(); }

  DemoOptions opts_;
  CliState& state_;
  std::ostream& out_;
  int step_ = 0;
  std::string policy_;
};

int Demo::Run() {
  std::string tmpl = (fs::temp_directory_path() / "guestbackup-demo-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr)
    return ReportError(state_, IoError("cannot create a temp dir"));
  DemoDir dir(tmpl, opts_.keep);
  const fs::path& root = dir.path();
  out_ << "guestbackup demo: a real backup and restore through a throwaway TLS kopia server\n"
       << "working in " << root.string() << "\n";

  if (!Step("repository and server")) return Stopped();
  const std::string password = demo::RandomPassword();
  demo::LocalServerOptions server_opts;
  server_opts.kopia_path = opts_.kopia;
  server_opts.work_dir = (root / "server").string();
  server_opts.users = {{"demo", "guestbackup-demo", password}};
  server_opts.cancel = state_.cancel;
  auto server = demo::LocalKopiaServer::Start(server_opts);
  if (Cancelled()) return Stopped();
  if (!server.ok()) return ReportError(state_, server.status().WithContext("starting the server"));
  out_ << "kopia repository: " << (*server)->repository_dir() << " (filesystem, encrypted)\n"
       << "kopia server:     " << (*server)->url() << " (TLS, ACLs enabled)\n"
       << "certificate:      SHA-256 " << (*server)->fingerprint() << " (pinned by the agent)\n";

  if (!Step("user and policy")) return Stopped();
  const fs::path password_file = root / "agent/credentials/password";
  WriteAll(password_file, password + "\n", kOwnerOnly);
  const fs::path data = root / "data";
  WriteAll(data / "notes.txt", "first version of the notes\n");
  WriteAll(data / "config/app.conf", "listen = 8080\nworkers = 4\n");
  WriteAll(data / "photos/cat.txt", std::string(4096, 'c'));
  policy_ = (root / "agent/policy.yaml").string();
  WriteAll(policy_,
           "version: 1\n"
           "state_dir: " +
               (root / "agent/state").string() +
               "\n"
               "server:\n"
               "  url: " +
               (*server)->url() +
               "\n"
               "  fingerprint: " +
               (*server)->fingerprint() +
               "\n"
               "  username: demo\n"
               "  hostname: guestbackup-demo\n"
               "  password_file: " +
               password_file.string() +
               "\n"
               "jobs:\n"
               "  documents:\n"
               "    paths: [" +
               data.string() +
               "]\n"
               "    exclude: [\"*.tmp\"]\n"
               "    retention: { keep_latest: 10 }\n"
               "    hooks:\n"
               "      before: [ { name: announce, shell: \"echo preparing $GUESTBACKUP_JOB\" } ]\n"
               "      after:  [ { name: report, shell: \"echo $GUESTBACKUP_JOB finished: "
               "$GUESTBACKUP_STATUS\" } ]\n",
           kOwnerOnly);
  out_ << "user demo@guestbackup-demo; password in " << password_file.string()
       << " (mode 0600, never on a command line)\n";
  if (int rc = Cli({"policy", "check"}); rc != contract::kExitOk) return rc;

  if (!Step("first backup")) return Stopped();
  if (int rc = Cli({"run", "documents"}); rc != contract::kExitOk) return rc;
  const std::string original = ReadAll(data / "notes.txt");

  // Snapshot times have millisecond precision; leave a clear gap around the `--at` point.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string between = FormatRfc3339Utc(NowUnixMs());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));

  if (!Step("change a file, second backup")) return Stopped();
  WriteAll(data / "notes.txt", "second version: the first one was overwritten by mistake\n");
  out_ << "edited " << (data / "notes.txt").string() << "\n";
  if (int rc = Cli({"run", "documents"}); rc != contract::kExitOk) return rc;

  if (!Step("versions of the file")) return Stopped();
  if (int rc = Cli({"versions", (data / "notes.txt").string()}); rc != contract::kExitOk) return rc;

  if (!Step("restore the earlier version by path and time")) return Stopped();
  const fs::path restored = root / "restored";
  if (int rc = Cli(
          {"restore", (data / "notes.txt").string(), "--at", between, "--to", restored.string()});
      rc != contract::kExitOk) {
    return rc;
  }

  if (!Step("proof")) return Stopped();
  const std::string got = ReadAll(restored / "notes.txt");
  if (got != original) {
    return ReportError(state_, Failed("the restored file differs from the original"));
  }
  out_ << "restored file is byte-for-byte identical to the first version (" << got.size()
       << " bytes)\n";

  if (!Step("history")) return Stopped();
  if (int rc = Cli({"history"}); rc != contract::kExitOk) return rc;

  (*server)->Stop();
  out_ << "\ndemo finished: " << (opts_.keep ? "kept " : "removed ") << root.string() << "\n";
  return contract::kExitOk;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Back up and restore through a throwaway local TLS kopia server (needs kopia)");
  cmd->add_flag("--keep", opts->keep, "Keep the demo directory");
  cmd->callback([opts, &state] {
    state.action = [opts, &state] {
      DemoOptions o = *opts;
      if (!state.options.agent.kopia_path.empty()) o.kopia = state.options.agent.kopia_path;
      return Demo(o, state).Run();
    };
  });
}

}  // namespace guestbackup::cli
