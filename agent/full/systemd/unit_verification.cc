#include "full/systemd/unit_verification.h"

#include <cstdlib>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "lean/platform/atomic_file.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;

// The service a timer starts: its "Unit=" line ("" when it has none).
std::string StartedUnit(const std::string& timer_content) {
  const std::string key = "\nUnit=";
  const std::size_t at = timer_content.find(key);
  if (at == std::string::npos) return "";
  const std::size_t start = at + key.size();
  return timer_content.substr(start, timer_content.find('\n', start) - start);
}

// A directory of its own under the temporary directory, removed with everything in it when
// the object goes.
class StagingDir {
 public:
  StagingDir() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "guestbackup-verify.XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr)
      path_ = pattern;
    else
      error_ = std::strerror(errno);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  ~StagingDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

}  // namespace

Status VerifyPlannedUnits(const UnitPlan& plan, SystemdHost& host) {
  if (!plan.ChangesFiles()) return Status::Ok();
  std::vector<const UnitChange*> kept;
  for (const UnitChange& unit : plan.units) {
    if (unit.action != UnitAction::kRemove) kept.push_back(&unit);
  }
  if (kept.empty()) return Status::Ok();
  const StagingDir staging;
  if (staging.path().empty()) {
    return IoError("cannot create a directory to verify the units in: " + staging.error());
  }
  std::vector<std::string> argv = {"systemd-analyze", "verify", "--man=no"};
  for (const UnitChange* unit : kept) {
    const std::string path = staging.path() + "/" + unit->name;
    GB_RETURN_IF_ERROR(platform::WriteFileAtomically(path, unit->new_content, 0644));
    argv.push_back(path);
    // The instance a timer starts, which `verify` builds from the template beside it.
    if (const std::string started = StartedUnit(unit->new_content); !started.empty()) {
      argv.push_back(staging.path() + "/" + started);
    }
  }
  auto verified = host.Run(argv);
  if (verified.ok() || verified.status().code() == StatusCode::kNotFound) return Status::Ok();
  return PolicyError("systemd would not load the units this policy makes, so none was written: " +
                     verified.status().message());
}

}  // namespace guestbackup::systemd
