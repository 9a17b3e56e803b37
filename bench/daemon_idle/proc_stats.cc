#include "proc_stats.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace guestbackup::bench {
namespace {

// "Name:\tvalue [kB]" lines of a status file; kB values in bytes.
std::map<std::string, std::uint64_t> ReadStatus(const std::filesystem::path& path) {
  std::map<std::string, std::uint64_t> fields;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream value(line.substr(colon + 1));
    std::uint64_t number = 0;
    std::string unit;
    if (!(value >> number)) continue;
    value >> unit;
    fields[line.substr(0, colon)] = unit == "kB" ? number * 1024 : number;
  }
  return fields;
}

}  // namespace

std::optional<ProcSample> SampleProcess(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  auto status = ReadStatus(proc / "status");
  if (status.empty()) return std::nullopt;
  ProcSample s;
  s.rss_bytes = status["VmRSS"];
  s.rss_anon_bytes = status["RssAnon"];
  s.rss_file_bytes = status["RssFile"];
  s.hwm_bytes = status["VmHWM"];
  auto rollup = ReadStatus(proc / "smaps_rollup");
  s.pss_bytes = rollup["Pss"];
  s.private_bytes = rollup["Private_Clean"] + rollup["Private_Dirty"];
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc / "task", ec)) {
    auto t = ReadStatus(task.path() / "status");
    if (t.empty()) continue;  // the thread ended meanwhile
    ++s.threads;
    s.voluntary_switches += t["voluntary_ctxt_switches"];
    s.nonvoluntary_switches += t["nonvoluntary_ctxt_switches"];
  }
  return s;
}

}  // namespace guestbackup::bench
