#include "full/systemd/unit_verification.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "full/systemd/unit_files.h"
#include "lean/platform/atomic_file.h"
#include "lean/platform/unique_directory.h"

namespace guestbackup::systemd {
namespace {

// Removes a directory and everything in it when it goes.
class RemovedAtEnd {
 public:
  explicit RemovedAtEnd(std::string path) : path_(std::move(path)) {}
  RemovedAtEnd(const RemovedAtEnd&) = delete;
  RemovedAtEnd& operator=(const RemovedAtEnd&) = delete;
  ~RemovedAtEnd() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

 private:
  std::string path_;
};

}  // namespace

Status VerifyPlannedUnits(const UnitPlan& plan, SystemdHost& host) {
  const bool keeps_any = std::any_of(plan.units.begin(), plan.units.end(), [](const UnitChange& u) {
    return u.action != UnitAction::kRemove;
  });
  if (!plan.ChangesFiles() || !keeps_any) return Status::Ok();
  std::error_code ec;
  Result<std::string> staging = platform::CreateUniqueDirectory(
      (std::filesystem::temp_directory_path(ec) / "guestbackup-verify.").string());
  if (!staging.ok()) return staging.status().WithContext("verifying the units");
  const RemovedAtEnd removed(*staging);
  std::vector<std::string> argv = {"systemd-analyze", "verify", "--man=no"};
  for (const UnitChange& unit : plan.units) {
    if (unit.action == UnitAction::kRemove) continue;
    const std::string path = *staging + "/" + unit.name;
    GB_RETURN_IF_ERROR(platform::WriteFileAtomically(path, unit.new_content, 0644));
    argv.push_back(path);
    // The instance a timer starts, which `verify` builds from the template beside it.
    if (const std::string job = JobOfTimer(unit.name); !job.empty()) {
      argv.push_back(*staging + "/" + ServiceInstanceName(job));
    }
  }
  auto verified = host.Run(argv);
  if (verified.ok() || verified.status().code() == StatusCode::kNotFound) return Status::Ok();
  return PolicyError("systemd would not load the units this policy makes, so none was written: " +
                     verified.status().message());
}

}  // namespace guestbackup::systemd
