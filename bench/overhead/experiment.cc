#include "experiment.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "full/demo/local_server.h"
#include "lean/process/executable_lookup.h"

namespace guestbackup::bench {
namespace {

namespace fs = std::filesystem;

// Different content per side, same sizes. Each side backs up its own identity's source, but
// the repository deduplicates across identities: a second side with identical bytes would
// upload nothing and its "first" backup would be a cheap one. Distinct seeds make both first
// backups upload a whole tree. What is still shared, the server and the repository index, is
// small next to a tree; the bare side goes first, so any cost of coming second falls on the
// agent and flatters nothing.
constexpr std::uint64_t kAgentSeed = 0x67756573;
constexpr std::uint64_t kBareSeed = 0x6b6f7069;

// Removes the work directory on scope exit unless asked to keep it.
class WorkDir {
 public:
  WorkDir(fs::path path, bool keep) : path_(std::move(path)), keep_(keep) {}
  ~WorkDir() {
    std::error_code ec;
    if (!keep_) fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  std::string operator/(const char* name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
  bool keep_;
};

Result<std::string> ResolveKopia(const BenchOptions& options) {
  std::string name = options.kopia;
  if (const char* env = std::getenv("GUESTBACKUP_KOPIA"); name.empty() && env != nullptr) {
    name = env;
  }
  if (name.empty()) name = "kopia";
  const char* path = std::getenv("PATH");
  auto found = process::LocateExecutable(name, path != nullptr ? path : "");
  if (!found.ok()) return found.status();
  return fs::absolute(*found).string();
}

std::string KopiaVersion(const std::string& kopia) {
  process::ProcessSpec spec;
  spec.argv = {kopia, "--version"};
  auto r = process::Run(spec);
  if (!r.ok() || !r->Succeeded()) return "(unknown version)";
  // "v0.23.1 build: ... from: ..." -> "v0.23.1".
  return r->stdout_data.substr(0, r->stdout_data.find_first_of(" \n"));
}

Result<TreeStats> MakeTrees(const BenchOptions& options, const std::string& agent_tree,
                            const std::string& bare_tree, std::ostream& log) {
  const TreeShape shape{options.files, options.bytes, 1};
  log << "writing two trees of " << options.files << " files, " << options.bytes
      << " bytes each ..." << std::endl;
  const auto start = UnixNowMs();
  auto stats = GenerateTree(agent_tree, shape, kAgentSeed);
  if (!stats.ok()) return stats.status();
  GB_RETURN_IF_ERROR(GenerateTree(bare_tree, shape, kBareSeed).status());
  log << "  done in " << UnixNowMs() - start << " ms" << std::endl;
  return stats;
}

}  // namespace

Result<Measurements> RunExperiment(const BenchOptions& options, std::ostream& log) {
  auto kopia = ResolveKopia(options);
  if (!kopia.ok()) return kopia.status();
  std::string tmpl = options.dir + "/guestbackup-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr)
    return IoError("cannot create a directory in " + options.dir);
  const WorkDir work(tmpl, options.keep);
  log << "work directory: " << tmpl << (options.keep ? " (kept)" : " (removed at the end)")
      << std::endl;

  Measurements m;
  m.kopia_version = KopiaVersion(*kopia);
  m.cpus = std::thread::hardware_concurrency();
  auto tree = MakeTrees(options, work / "tree-agent", work / "tree-bare", log);
  if (!tree.ok()) return tree.status();
  m.tree = *tree;

  Identity agent_id{"", "", "bench", "guestbackup", demo::RandomPassword()};
  Identity bare_id{"", "", "bare", "guestbackup", demo::RandomPassword()};
  demo::LocalServerOptions server_options;
  server_options.kopia_path = *kopia;
  server_options.work_dir = work / "server";
  server_options.users = {{agent_id.username, agent_id.hostname, agent_id.password},
                          {bare_id.username, bare_id.hostname, bare_id.password}};
  auto server = demo::LocalKopiaServer::Start(server_options);
  if (!server.ok()) return server.status().WithContext("starting the kopia server");
  for (Identity* id : {&agent_id, &bare_id}) {
    id->server_url = (*server)->url();
    id->fingerprint = (*server)->fingerprint();
  }
  log << "kopia server: " << (*server)->url() << std::endl;

  auto agent = GuestbackupSide::Create(options.guestbackup, *kopia, work / "agent", agent_id,
                                       work / "tree-agent");
  if (!agent.ok()) return agent.status();
  const BareKopiaSide bare(*kopia, work / "bare", bare_id, work / "tree-bare");
  auto connected = bare.Connect();
  if (!connected.ok()) return connected.status();
  m.bare_connect_ms = connected->wall_ms;

  log << "first backup, bare kopia ..." << std::endl;
  auto first_bare = bare.Snapshot();
  if (!first_bare.ok()) return first_bare.status();
  m.first_bare = *first_bare;
  log << "  " << first_bare->wall_ms << " ms\nfirst backup, guestbackup ..." << std::endl;
  auto first_agent = agent->Run();
  if (!first_agent.ok()) return first_agent.status();
  m.first_agent = *first_agent;
  log << "  " << first_agent->run.wall_ms << " ms" << std::endl;

  // Interleaved in ABBA order (agent, bare, bare, agent, ...): alternation keeps slow drifts
  // (page cache, server state, a busy neighbour) from landing on one side only, and swapping
  // who goes first in each pair cancels any cost of running right after the other side's
  // snapshot (the server finishing its writes).
  for (int i = 0; i < options.repeat; ++i) {
    std::optional<Result<TimedRun>> b;
    if (i % 2 == 1) b = bare.Snapshot();
    auto a = agent->Run();
    if (!b) b = bare.Snapshot();
    if (!a.ok()) return a.status();
    if (!b->ok()) return b->status();
    log << "no-change " << i + 1 << "/" << options.repeat << ": guestbackup " << a->run.wall_ms
        << " ms, bare " << (*b)->wall_ms << " ms" << std::endl;
    m.nochange_agent.push_back(std::move(a).value());
    m.nochange_bare.push_back(std::move(*b).value());
  }
  (*server)->Stop();
  return m;
}

}  // namespace guestbackup::bench
