// Per-machine, per-job start delays: a hash, not a random draw, so the delay survives
// restarts of the daemon and re-installs of the timer units, yet spreads a fleet's runs.
#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

#include "lean/base/sha256.h"
#include "lean/platform/host_name.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::schedule {

std::chrono::milliseconds JitterFor(std::string_view machine_id, std::string_view job,
                                    std::chrono::seconds max_delay) {
  const auto max_ms = std::chrono::duration_cast<std::chrono::milliseconds>(max_delay).count();
  if (max_ms <= 0) return std::chrono::milliseconds(0);
  std::string input = "guestbackup-jitter\n";
  input.append(machine_id).append("\n").append(job);
  // The first 64 bits of the digest. Taking them modulo the delay favours some values by at
  // most max_ms / 2^64: under 2^-34 for delays up to a week.
  const std::array<std::uint8_t, 32> digest = Sha256(input);
  std::uint64_t hash = 0;
  for (int i = 0; i < 8; ++i) hash = (hash << 8) | digest[i];
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(hash % static_cast<std::uint64_t>(max_ms)));
}

namespace {

std::string Trimmed(std::string s) {
  const auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  return s;
}

}  // namespace

std::string MachineIdFrom(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream contents;
  if (in) contents << in.rdbuf();
  std::string id = Trimmed(contents.str());
  if (!id.empty()) return id;
  const std::string host = platform::HostName();
  return host.empty() ? "localhost" : host;
}

std::string MachineId() { return MachineIdFrom("/etc/machine-id"); }

}  // namespace guestbackup::schedule
