// Run() on Linux: Spawn() starts the child, ChildMonitor sees it through to the end.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "lean/process/child_monitor_posix.h"
#include "lean/process/environment.h"
#include "lean/process/process.h"
#include "lean/process/process_tree_linux.h"
#include "lean/process/spawn_posix.h"

namespace guestbackup::process {
namespace {

std::vector<std::string> InheritedEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    env.emplace_back(*entry);
  }
  return env;
}

}  // namespace

Result<ProcessResult> Run(const ProcessSpec& spec) {
  const std::string command = FormatCommandLine(spec.argv);
  if (spec.CancelRequested()) {
    spdlog::debug("not starting (cancelled): {}", command);
    ProcessResult result;
    result.cancelled = true;
    result.timeout = spec.timeout;
    return result;
  }
  // The marker lets a timeout find the descendants that left the child's process group.
  const std::string marker = NewTreeMarker();
  const char* inherited = getenv(std::string(kTreeMarkerVariable).c_str());
  std::vector<std::pair<std::string, std::string>> extra_env = spec.extra_env;
  extra_env.emplace_back(kTreeMarkerVariable,
                         TreeMarkerValue(inherited != nullptr ? inherited : "", marker));
  Result<std::vector<std::string>> env =
      BuildEnvironment(InheritedEnvironment(), extra_env, spec.unset_env);
  if (!env.ok()) return env.status();

  spdlog::debug("starting: {}", command);
  const auto start = std::chrono::steady_clock::now();
  Result<SpawnedChild> child = Spawn(spec, *env);
  if (!child.ok()) {
    spdlog::debug("cannot start {}: {}", command, child.status().ToString());
    return child.status();
  }
  const pid_t pid = child->pid;
  ChildMonitor monitor(spec, std::move(*child), start, marker);
  Result<ProcessResult> result = monitor.Wait();
  if (result.ok()) {
    spdlog::debug("pid {} ended after {} ms: {}: {}", pid, result->duration.count(),
                  result->Describe(), command);
  } else {
    spdlog::debug("pid {}: {}: {}", pid, result.status().ToString(), command);
  }
  return result;
}

}  // namespace guestbackup::process
