#include "full/freeze/guest_freeze.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "lean/platform/atomic_file.h"
#include "lean/policy/duration.h"

namespace guestbackup::freeze {
namespace {

namespace fs = std::filesystem;

std::string MarkPath(const std::string& state_dir) {
  return (fs::path(state_dir) / kGuestFrozenMark).string();
}

}  // namespace

std::string QgaStateDir() {
  const char* dir = std::getenv("GUESTBACKUP_QGA_STATEDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/var/run";
}

std::optional<std::string> GuestFrozenBy(const std::string& state_dir,
                                         const std::string& qga_state_dir) {
  std::error_code ec;
  if (fs::exists(fs::path(qga_state_dir) / kQgaFrozenMark, ec)) {
    return "KubeVirt's guest agent (qemu-ga: " +
           (fs::path(qga_state_dir) / kQgaFrozenMark).string() + ")";
  }
  if (fs::exists(MarkPath(state_dir), ec)) {
    return "qemu-guest-agent's fsfreeze hook (" + MarkPath(state_dir) + ")";
  }
  return std::nullopt;
}

Status WaitForGuestThaw(const std::string& state_dir, const std::string& qga_state_dir,
                        std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::optional<std::string> by = GuestFrozenBy(state_dir, qga_state_dir);
    if (!by) return Status::Ok();
    if (std::chrono::steady_clock::now() >= deadline) {
      return AlreadyRunning("not frozen: the guest's file systems are frozen by " + *by +
                            ", still after waiting " + policy::FormatDuration(limit));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Status MarkGuestFrozen(const std::string& state_dir, std::size_t hooks_started) {
  return platform::WriteFileAtomically(
      MarkPath(state_dir), "hooks_started=" + std::to_string(hooks_started) + "\n", 0600);
}

Result<std::size_t> ClearGuestFrozen(const std::string& state_dir) {
  const std::string path = MarkPath(state_dir);
  std::ifstream in(path);
  if (!in) return std::size_t{0};
  std::string line;
  std::getline(in, line);
  in.close();
  std::size_t started = 0;
  const std::string key = "hooks_started=";
  if (line.starts_with(key)) started = std::strtoul(line.c_str() + key.size(), nullptr, 10);
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    return IoError("cannot remove " + path + ": " + std::strerror(errno));
  }
  return started;
}

}  // namespace guestbackup::freeze
