// guestbackup_bench_fleet: many agents against one throwaway local kopia server with ACLs on
// and a user each, as a cluster's VMs share one BackupStorageLocationServer:
//   1. one agent backs up --mib MiB alone, then --agents agents back up --mib MiB each (fresh
//      random data, so every byte is uploaded), all started at once: failures (goal 0), the
//      aggregate throughput ÷ the lone agent's, p50/p99 run time, and the runs that needed
//      retries (from each agent's history);
//   2. the login storm: --storm agents that never connected run `guestbackup snapshots` at
//      once (connect, then list): the time until all are done, failures, p50/p99.
//   guestbackup_bench_fleet [--agents N] [--mib N] [--storm N] [--keep]
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/flags.h"
#include "common/timing.h"
#include "full/demo/local_server.h"
#include "integration/agent_harness.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace {

using namespace guestbackup;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: guestbackup_bench_fleet [--agents N] [--mib N] [--storm N] [--keep]\n"
    "  --agents N  agents backing up at once (default 32)\n"
    "  --mib N     MiB each of them backs up (default 16)\n"
    "  --storm N   agents connecting at once for the first time (default 200)\n";

struct FleetAgent {
  std::string name;  // the kopia user; the host is "fleet"
  std::string password;
  fs::path dir;
};

struct Outcome {
  int exit_code = -1;
  double seconds = 0;
  std::string err;
};

void WriteFile(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  fs::permissions(path, perms);
}

// The agent's policy: one job backing up its data directory.
void Provision(const FleetAgent& a, const demo::LocalKopiaServer& server) {
  WriteFile(a.dir / "password", a.password + "\n", fs::perms::owner_read | fs::perms::owner_write);
  WriteFile(a.dir / "policy.yaml",
            "version: 1\nkopia: " + testing::KopiaBinary() +
                "\nstate_dir: " + (a.dir / "state").string() + "\nserver:\n  url: " + server.url() +
                "\n  fingerprint: " + server.fingerprint() + "\n  username: " + a.name +
                "\n  hostname: fleet\n  password_file: " + (a.dir / "password").string() +
                "\njobs:\n  data:\n    paths: [" + (a.dir / "data").string() + "]\n",
            fs::perms::owner_read | fs::perms::owner_write);
}

void WriteRandomData(const FleetAgent& a, int mib, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string block(static_cast<std::size_t>(mib) << 20, '\0');
  for (std::size_t i = 0; i + 8 <= block.size(); i += 8) {
    const std::uint64_t word = random();
    std::memcpy(block.data() + i, &word, 8);
  }
  WriteFile(a.dir / "data" / "blob.bin", block, fs::perms::owner_all);
}

Outcome RunAgent(const FleetAgent& a, const std::vector<std::string>& args) {
  process::ProcessSpec spec;
  spec.argv = {GUESTBACKUP_BINARY, "--policy", (a.dir / "policy.yaml").string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::minutes(30);
  const auto start = Clock::now();
  auto r = process::Run(spec);
  Outcome out;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!r.ok()) {
    out.err = r.status().ToString();
    return out;
  }
  out.exit_code = r->exit_code;
  out.err = r->stderr_data;
  return out;
}

// Runs every agent's command at once; returns each outcome and the wall time of all.
std::vector<Outcome> AllAtOnce(const std::vector<FleetAgent>& agents,
                               const std::vector<std::string>& args, double& wall_seconds) {
  std::vector<Outcome> outcomes(agents.size());
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < agents.size(); ++i) {
    threads.emplace_back([&, i] { outcomes[i] = RunAgent(agents[i], args); });
  }
  for (std::thread& t : threads) t.join();
  wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return outcomes;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Failures, with the first one's message; the run times' p50 and p99.
void Summarize(const std::string& what, const std::vector<Outcome>& outcomes, double wall) {
  std::vector<double> seconds;
  int failed = 0;
  for (const Outcome& o : outcomes) {
    seconds.push_back(o.seconds);
    if (o.exit_code != 0 && failed++ == 0) {
      std::cout << "  first failure (exit " << o.exit_code
                << "): " << o.err.substr(o.err.size() > 600 ? o.err.size() - 600 : 0) << "\n";
    }
  }
  std::cout << what << ": " << outcomes.size() << " agents, " << failed << " failed; all done in "
            << wall << " s; run time p50 " << Percentile(seconds, 0.5) << " s, p99 "
            << Percentile(seconds, 0.99) << " s\n";
}

// Runs whose history message tells of retries.
int RetriedRuns(const std::vector<FleetAgent>& agents) {
  int retried = 0;
  for (const FleetAgent& a : agents) {
    process::ProcessSpec spec;
    spec.argv = {GUESTBACKUP_BINARY, "--policy", (a.dir / "policy.yaml").string(), "history",
                 "--json"};
    auto r = process::Run(spec);
    if (r.ok() && r->stdout_data.find("retried") != std::string::npos) ++retried;
  }
  return retried;
}

}  // namespace

int main(int argc, char** argv) {
  int agents_count = 32;
  int mib = 16;
  int storm = 200;
  bool keep = false;
  if (auto exit = bench::ParseFlags(argc, argv, kUsage, keep,
                                    bench::IntFlags({{"--agents", &agents_count, 1, 100'000},
                                                     {"--mib", &mib, 1, 100'000},
                                                     {"--storm", &storm, 1, 100'000}}))) {
    return *exit;
  }
  std::cout << std::fixed << std::setprecision(2);
  testing::TempDir work;
  std::vector<FleetAgent> lone, fleet, stormers;
  std::vector<demo::LocalServerUser> users;
  const auto make = [&](std::vector<FleetAgent>& into, const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) {
      std::ostringstream name;
      name << prefix << std::setw(3) << std::setfill('0') << i;
      FleetAgent a{name.str(), demo::RandomPassword(), work.path() / name.str()};
      users.push_back({a.name, "fleet", a.password});
      into.push_back(std::move(a));
    }
  };
  make(lone, "lone", 1);
  make(fleet, "fleet", agents_count);
  make(stormers, "storm", storm);

  auto start = Clock::now();
  demo::LocalServerOptions options;
  options.kopia_path = testing::KopiaBinary();
  options.work_dir = (work.path() / "server").string();
  options.users = users;
  fs::create_directories(options.work_dir);
  auto server = demo::LocalKopiaServer::Start(options);
  if (!server.ok()) {
    std::cerr << "cannot start the kopia server: " << server.status().ToString() << "\n";
    return 1;
  }
  std::cout << "server with " << users.size() << " users (ACLs on) ready in "
            << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  std::uint64_t seed = 1;
  for (auto* group : {&lone, &fleet, &stormers}) {
    for (const FleetAgent& a : *group) Provision(a, **server);
  }
  for (auto* group : {&lone, &fleet}) {
    for (const FleetAgent& a : *group) WriteRandomData(a, mib, seed++);
  }

  // 1. One alone, then the fleet at once.
  const Outcome alone = RunAgent(lone[0], {"run", "data"});
  if (alone.exit_code != 0) {
    std::cerr << "the lone agent failed:\n" << alone.err;
    return 1;
  }
  const double alone_rate = mib / alone.seconds;
  std::cout << "one agent alone: " << mib << " MiB in " << alone.seconds << " s = " << alone_rate
            << " MiB/s\n";
  double wall = 0;
  const std::vector<Outcome> backups = AllAtOnce(fleet, {"run", "data"}, wall);
  Summarize("backups at once", backups, wall);
  const double aggregate = agents_count * mib / wall;
  std::cout << "  aggregate " << aggregate << " MiB/s = " << aggregate / alone_rate
            << " x one agent alone; runs that retried: " << RetriedRuns(fleet) << "\n";

  // 2. The login storm.
  const std::vector<Outcome> logins = AllAtOnce(stormers, {"snapshots"}, wall);
  Summarize("login storm (first connect + list)", logins, wall);
  int retried_logins = 0;
  for (const Outcome& o : logins) retried_logins += o.err.find("retrying") != std::string::npos;
  std::cout << "  agents that retried: " << retried_logins << "\n";
  int failures = 0;
  for (const auto* outcomes : {&backups, &logins}) {
    for (const Outcome& o : *outcomes) failures += o.exit_code != 0 ? 1 : 0;
  }
  std::cout << failures << " failures in all (goal 0)\n";
  if (keep) std::cout << "kept " << work.path() << "\n";
  return failures == 0 ? 0 : 1;
}
