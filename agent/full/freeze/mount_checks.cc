#include "full/freeze/mount_checks.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace guestbackup::freeze {
namespace {

// mountinfo escapes space, tab, newline and backslash as three octal digits.
std::string Unescape(std::string_view field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const auto octal = [&](std::size_t at) { return field[at] >= '0' && field[at] <= '7'; };
    if (field[i] == '\\' && i + 3 < field.size() && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> MountPointsOf(std::string_view mountinfo) {
  std::vector<std::string> points;
  std::istringstream lines{std::string(mountinfo)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i < 5 && fields >> field; ++i) {
      if (i == 4) points.push_back(Unescape(field));
    }
  }
  return points;
}

Status CheckFreezable(const std::vector<std::string>& mounts,
                      const std::vector<std::string>& mount_points, const std::string& state_dir) {
  struct stat state {};
  if (::stat(state_dir.c_str(), &state) != 0) {
    return IoError("cannot stat the state directory " + state_dir + ": " + std::strerror(errno));
  }
  for (const std::string& mount : mounts) {
    if (std::find(mount_points.begin(), mount_points.end(), mount) == mount_points.end()) {
      return PolicyError("freeze: " + mount +
                         " is not a mount point, and freezing works on whole file systems: "
                         "name the one that holds it (findmnt -T " +
                         mount + ")");
    }
    struct stat st {};
    if (::stat(mount.c_str(), &st) != 0) {
      return IoError("freeze: cannot stat " + mount + ": " + std::strerror(errno));
    }
    if (st.st_dev == state.st_dev) {
      return PolicyError("freeze: " + mount + " is the file system of the state directory " +
                         state_dir +
                         ", which must stay writable during the snapshot (the history, kopia's "
                         "cache)");
    }
  }
  return Status::Ok();
}

Status CheckFreezable(const std::vector<std::string>& mounts, const std::string& state_dir) {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return IoError("cannot read /proc/self/mountinfo to check freeze's mount points");
  std::ostringstream text;
  text << in.rdbuf();
  return CheckFreezable(mounts, MountPointsOf(text.str()), state_dir);
}

}  // namespace guestbackup::freeze
