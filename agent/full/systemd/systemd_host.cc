#include "full/systemd/systemd_host.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "lean/process/process.h"

namespace guestbackup::systemd {
namespace {

class LocalSystemdHost final : public SystemdHost {
 public:
  explicit LocalSystemdHost(std::string runtime_dir) : runtime_dir_(std::move(runtime_dir)) {}

  bool Running() const override {
    std::error_code ec;
    return std::filesystem::is_directory(runtime_dir_, ec);
  }

  Result<std::string> Run(const std::vector<std::string>& argv) override {
    process::ProcessSpec spec;
    spec.argv = argv;
    // enable --now may wait for the manager to start a timer; nothing here runs a backup.
    spec.timeout = std::chrono::minutes(2);
    auto result = process::Run(spec);
    if (!result.ok()) return result.status();
    if (!result->Succeeded()) {
      std::string detail = result->stderr_data;
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
      return Failed(process::FormatCommandLine(argv) + ": " + result->Describe() +
                    (detail.empty() ? "" : ": " + detail));
    }
    return std::move(result->stdout_data);
  }

 private:
  std::string runtime_dir_;
};

std::string Canonical(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : canonical.lexically_normal().string();
}

}  // namespace

std::unique_ptr<SystemdHost> NewLocalSystemdHost(std::string runtime_dir) {
  return std::make_unique<LocalSystemdHost>(std::move(runtime_dir));
}

Result<std::vector<std::string>> UnitSearchPaths(SystemdHost& host) {
  auto output = host.Run({"systemd-analyze", "unit-paths"});
  if (!output.ok()) return output.status();
  std::vector<std::string> paths;
  std::istringstream lines(*output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

bool IsSearchPath(const std::string& dir, const std::vector<std::string>& search_paths) {
  const std::string wanted = Canonical(dir);
  return std::ranges::any_of(search_paths,
                             [&](const std::string& p) { return Canonical(p) == wanted; });
}

std::vector<std::string> ShowTimerArgv(const std::string& timer_unit) {
  return {"systemctl", "show",
          "--property=NextElapseUSecRealtime,LastTriggerUSec,ActiveState,UnitFileState",
          timer_unit};
}

TimerState TimerStateFromShow(const std::string& output) {
  TimerState state;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (value == "n/a") value.clear();
    if (key == "NextElapseUSecRealtime") state.next_elapse = value;
    if (key == "LastTriggerUSec") state.last_trigger = value;
    if (key == "ActiveState") state.active_state = value;
    if (key == "UnitFileState") state.unit_file_state = value;
  }
  return state;
}

}  // namespace guestbackup::systemd
