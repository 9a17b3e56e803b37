// What /proc says about a running process: resident memory and, summed over its threads,
// context switches — each one a time a thread went to sleep or was woken.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace guestbackup::bench {

struct ProcSample {
  std::uint64_t rss_bytes = 0;       // VmRSS
  std::uint64_t rss_anon_bytes = 0;  // RssAnon: the process's own pages
  std::uint64_t rss_file_bytes = 0;  // RssFile: mapped binary and libraries
  std::uint64_t hwm_bytes = 0;       // VmHWM: the peak
  std::uint64_t pss_bytes = 0;       // smaps_rollup Pss: shared pages divided among their users
  std::uint64_t private_bytes = 0;   // smaps_rollup Private_Clean + Private_Dirty: ours alone
  int threads = 0;
  std::uint64_t voluntary_switches = 0;     // over every thread in /proc/<pid>/task
  std::uint64_t nonvoluntary_switches = 0;  // likewise
};

// nullopt when the process is gone.
std::optional<ProcSample> SampleProcess(pid_t pid);

}  // namespace guestbackup::bench
