#include "lean/process/process_tree_linux.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <map>
#include <set>

#include "lean/platform/bounded_read.h"
#include "lean/platform/process_identity.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::process {
namespace {

// An environment is at most ARG_MAX-sized; one larger than this cannot be ours to search.
constexpr std::size_t kMaxEnvironBytes = std::size_t{4} * 1024 * 1024;

struct Scanned {
  int ppid = 0;
  std::uint64_t start_ticks = 0;
};

std::vector<pid_t> ListPids() {
  std::vector<pid_t> pids;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return pids;
  while (const dirent* entry = readdir(dir)) {
    const std::string_view name(entry->d_name);
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec == std::errc() && end == name.data() + name.size() && pid > 0) pids.push_back(pid);
  }
  closedir(dir);
  return pids;
}

bool EnvironHolds(pid_t pid, std::string_view marker) {
  const std::string path = "/proc/" + std::to_string(pid) + "/environ";
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;  // gone, or not ours to read (another user's process)
  Result<std::string> environ = platform::ReadAtMost(fd.get(), kMaxEnvironBytes);
  return environ.ok() && environ->find(marker) != std::string::npos;
}

int OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

int SendThroughPidfd(int pidfd, int signal) {
#ifdef SYS_pidfd_send_signal
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
#else
  (void)pidfd;
  (void)signal;
  errno = ENOSYS;
  return -1;
#endif
}

// 64 random bits from getrandom(2), which needs no /dev/urandom (std::random_device opens it,
// and throws where a minimal chroot or container has no /dev); failing that, the clock: the
// marker only has to differ from every other live one, and pid and counter already nearly do.
std::uint64_t MarkerBits() {
  std::uint64_t bits = 0;
  if (getrandom(&bits, sizeof bits, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof bits)) {
    return bits;
  }
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::string NewTreeMarker() {
  static std::atomic<unsigned> count{0};
  const std::uint64_t bits = MarkerBits();
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(bits));
  return std::to_string(getpid()) + "." + std::to_string(++count) + "." + hex;
}

std::string TreeMarkerValue(std::string_view inherited, std::string_view marker) {
  if (inherited.empty()) return std::string(marker);
  return std::string(inherited) + ":" + std::string(marker);
}

std::vector<TreeMember> FindTree(pid_t root, std::string_view marker) {
  std::map<pid_t, Scanned> live;
  std::set<pid_t> in_tree;
  for (pid_t pid : ListPids()) {
    std::optional<platform::ProcStat> stat = platform::ReadProcStat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X') continue;
    live[pid] = {stat->ppid, stat->start_ticks};
    if (pid == root || EnvironHolds(pid, marker)) in_tree.insert(pid);
  }
  // Add the descendants of members until nothing changes: the parent links form a forest,
  // so each pass adds at least one process or ends.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [pid, scanned] : live) {
      if (!in_tree.contains(pid) && in_tree.contains(scanned.ppid)) {
        in_tree.insert(pid);
        grew = true;
      }
    }
  }
  std::vector<TreeMember> members;
  members.reserve(in_tree.size());
  for (pid_t pid : in_tree) members.push_back({pid, live[pid].start_ticks});
  return members;
}

void SignalTree(const std::vector<TreeMember>& members, int signal) {
  for (const TreeMember& member : members) {
    UniqueFd pidfd(OpenPidfd(member.pid));
    if (!pidfd.valid()) {
      if (errno != ENOSYS) continue;  // gone since
      // Before Linux 5.3: check, then signal by pid (a narrow race, the best available).
      std::optional<platform::ProcStat> stat = platform::ReadProcStat(member.pid);
      if (stat && stat->start_ticks == member.start_ticks) kill(member.pid, signal);
      continue;
    }
    // The pidfd pins the process: if it is the one scanned now, it is the one signalled.
    std::optional<platform::ProcStat> stat = platform::ReadProcStat(member.pid);
    if (!stat || stat->start_ticks != member.start_ticks) continue;
    SendThroughPidfd(pidfd.get(), signal);
  }
}

}  // namespace guestbackup::process
