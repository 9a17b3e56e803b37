#include "report.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace guestbackup::bench {
namespace {

constexpr std::string_view kSnapshot = "snapshot create";

// One agent run cut at its kopia children, from the bench's clock and the agent's log.
struct Split {
  double wall = 0;
  double kopia = 0;        // all kopia children, as the agent timed them
  double snapshot = 0;     // the `snapshot create` child alone
  double to_log = 0;       // spawn to the agent's first log line (exec, loading, policy)
  double to_snapshot = 0;  // first log line to the start of `snapshot create`
  double after = 0;        // end of `snapshot create` to the agent being reaped
};

Split SplitRun(const AgentSample& s) {
  Split split;
  split.wall = s.run.wall_ms;
  split.kopia = static_cast<double>(ChildMs(s.log, ""));
  split.snapshot = static_cast<double>(ChildMs(s.log, kSnapshot));
  for (const auto& c : s.log.children) {
    if (c.label != kSnapshot) continue;
    const auto first = s.log.first_unix_ms.value_or(c.start_unix_ms);
    split.to_log = static_cast<double>(first - s.run.start_unix_ms);
    split.to_snapshot = static_cast<double>(c.start_unix_ms - first);
    split.after = static_cast<double>(s.run.end_unix_ms - c.end_unix_ms);
  }
  return split;
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string Verdict(bool ok) { return ok ? "PASS" : "MISS"; }

void Row(std::ostream& out, const std::string& phase, double agent, double bare) {
  char line[160];
  std::snprintf(line, sizeof(line), "%-28s %14.1f %14.1f %8.3f %13.1f\n", phase.c_str(), agent,
                bare, agent / bare, agent - bare);
  out << line;
}

std::string MiB(std::uint64_t bytes) {
  return Fixed(static_cast<double>(bytes) / (1 << 20), 1) + " MiB";
}

void PrintAgentTime(const Measurements& m, std::ostream& out) {
  std::vector<double> own, to_log, to_snapshot, after, inner, outside_kopia;
  for (const auto& s : m.nochange_agent) {
    const Split split = SplitRun(s);
    own.push_back(split.wall - split.kopia);
    to_log.push_back(split.to_log);
    to_snapshot.push_back(split.to_snapshot);
    after.push_back(split.after);
    inner.push_back(split.snapshot);
  }
  for (const auto& r : m.nochange_bare) outside_kopia.push_back(r.wall_ms);
  const double own_median = Median(own);
  out << "\nprocess-level overhead, no-change runs (medians; from the agent's debug log, 1 ms "
         "resolution)\n"
      << "  guestbackup wall - its kopia children      " << Fixed(own_median, 1) << " ms  "
      << Verdict(own_median <= kTargetOverheadMs) << " (target <= " << Fixed(kTargetOverheadMs, 0)
      << " ms)\n"
      << "    spawn -> agent's first log line          " << Fixed(Median(to_log), 0) << " ms\n"
      << "    first log line -> kopia started          " << Fixed(Median(to_snapshot), 0) << " ms\n"
      << "    kopia ended -> agent reaped              " << Fixed(Median(after), 0) << " ms\n"
      << "  kopia snapshot create inside the agent     " << Fixed(Median(inner), 0) << " ms"
      << "  (bare: " << Fixed(Median(outside_kopia), 1) << " ms)\n";

  out << "\nfirst run's kopia children (agent): ";
  const Split first = SplitRun(m.first_agent);
  bool comma = false;
  for (const auto& c : m.first_agent.log.children) {
    out << (comma ? ", " : "") << c.label << " " << c.duration_ms << " ms";
    comma = true;
  }
  out << "\n  agent's own time in the first run: " << Fixed(first.wall - first.kopia, 1)
      << " ms; bare kopia's connect took " << Fixed(m.bare_connect_ms, 1)
      << " ms (in the first row, not the second)\n";
}

}  // namespace

void PrintReport(const Measurements& m, std::ostream& out) {
  const std::size_t runs = m.nochange_agent.size();
  out << "\nmachine: " << m.cpus << " CPUs; kopia " << m.kopia_version << "\n"
      << "tree per side: " << m.tree.files << " files in " << m.tree.directories << " directories, "
      << MiB(m.tree.bytes) << " (largest file " << MiB(m.tree.largest_file)
      << "), different content per side\n\n";

  char header[160];
  std::snprintf(header, sizeof(header), "%-28s %14s %14s %8s %13s\n", "phase", "guestbackup ms",
                "bare kopia ms", "ratio", "overhead ms");
  out << header;
  // A first `guestbackup run` connects to the server inside the run; bare kopia needs its own
  // `repository connect` before its first snapshot. Counting the connect on both sides is
  // the like-for-like comparison (and the target); the snapshot-only row is shown too.
  const double first_agent = m.first_agent.run.wall_ms;
  const double first_bare = m.first_bare.wall_ms + m.bare_connect_ms;
  Row(out, "first backup (with connect)", first_agent, first_bare);
  Row(out, "  bare without its connect", first_agent, m.first_bare.wall_ms);
  std::vector<double> agent, bare;
  for (const auto& s : m.nochange_agent) agent.push_back(s.run.wall_ms);
  for (const auto& r : m.nochange_bare) bare.push_back(r.wall_ms);
  const double agent_median = Median(agent);
  const double bare_median = Median(bare);
  Row(out, "no-change (median of " + std::to_string(runs) + ")", agent_median, bare_median);

  out << "\nno-change runs, in order (guestbackup / bare ms):";
  for (std::size_t i = 0; i < runs; ++i) {
    out << " " << Fixed(agent[i], 0) << "/" << Fixed(bare[i], 0);
  }
  // The wall-time difference carries kopia's own run-to-run noise; say how large it is.
  const auto [low, high] = std::minmax_element(bare.begin(), bare.end());
  out << "\nbare kopia's own spread over these runs: " << Fixed(*high - *low, 0)
      << " ms (the process-level figure below does not include it)\n";

  const double first_ratio = first_agent / first_bare;
  const double nochange_ratio = agent_median / bare_median;
  const double overhead = agent_median - bare_median;
  out << "\ntargets\n"
      << "  ratio <= " << Fixed(kTargetRatio, 2) << ", first backup:   " << Fixed(first_ratio, 3)
      << "  " << Verdict(first_ratio <= kTargetRatio) << "\n"
      << "  ratio <= " << Fixed(kTargetRatio, 2) << ", no-change:      " << Fixed(nochange_ratio, 3)
      << "  " << Verdict(nochange_ratio <= kTargetRatio) << "\n"
      << "  fixed overhead <= " << Fixed(kTargetOverheadMs, 0)
      << " ms (no-change): " << Fixed(overhead, 1) << " ms  "
      << Verdict(overhead <= kTargetOverheadMs) << "\n";
  PrintAgentTime(m, out);
}

}  // namespace guestbackup::bench
