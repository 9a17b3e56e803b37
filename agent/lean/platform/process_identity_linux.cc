// See process_identity.h: on Linux from /proc (the stat line of the pid, the kernel's boot id).
#include "lean/platform/process_identity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <sstream>

namespace guestbackup::platform {
namespace {

// Field 22 (starttime) is the 20th field after the ')' that closes field 2 (comm).
constexpr int kStartTicksFieldAfterComm = 20;

// Reads a /proc file with plain read(2): procfs files report size 0, so read until EOF.
std::optional<std::string> ReadProcFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string content;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return content;
}

bool IsGone(const ProcStat& stat) { return stat.state == 'Z' || stat.state == 'X'; }

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view line) {
  const std::size_t close = line.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::istringstream fields{std::string(line.substr(close + 1))};
  std::string state;
  if (!(fields >> state) || state.size() != 1) return std::nullopt;
  ProcStat stat;
  stat.state = state[0];
  if (!(fields >> stat.ppid)) return std::nullopt;
  std::string field;
  // The state and ppid were fields 1 and 2 after comm; skip to the start-time field.
  for (int i = 3; i <= kStartTicksFieldAfterComm; ++i) {
    if (!(fields >> field)) return std::nullopt;
  }
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, stat.start_ticks);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return stat;
}

std::optional<ProcStat> ReadProcStat(int pid) {
  if (pid <= 0) return std::nullopt;
  std::optional<std::string> line = ReadProcFile("/proc/" + std::to_string(pid) + "/stat");
  if (!line) return std::nullopt;
  return ParseProcStat(*line);
}

std::string CurrentBootId() {
  static const std::string id = [] {
    std::optional<std::string> text = ReadProcFile("/proc/sys/kernel/random/boot_id");
    if (!text) return std::string();
    const std::size_t first = text->find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::string();
    const std::size_t last = text->find_last_not_of(" \t\r\n");
    return text->substr(first, last - first + 1);
  }();
  return id;
}

std::optional<ProcessIdentity> ProcessIdentityOf(int pid) {
  std::optional<ProcStat> stat = ReadProcStat(pid);
  if (!stat || IsGone(*stat)) return std::nullopt;
  return ProcessIdentity{pid, CurrentBootId(), stat->start_ticks};
}

}  // namespace guestbackup::platform
