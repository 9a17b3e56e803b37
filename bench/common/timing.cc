#include "common/timing.h"

#include <algorithm>
#include <chrono>

namespace guestbackup::bench {

std::int64_t UnixNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<TimedRun> RunTimed(const process::ProcessSpec& spec) {
  TimedRun run;
  run.start_unix_ms = UnixNowMs();
  const auto start = std::chrono::steady_clock::now();
  auto r = process::Run(spec);
  const auto end = std::chrono::steady_clock::now();
  run.end_unix_ms = UnixNowMs();
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) {
    const std::string& err = r->stderr_data;
    const std::string tail = err.size() > 2000 ? err.substr(err.size() - 2000) : err;
    return Failed(spec.argv.front() + ": " + r->Describe() + "\n" + tail);
  }
  run.wall_ms = std::chrono::duration<double, std::milli>(end - start).count();
  run.result = std::move(r).value();
  return run;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

}  // namespace guestbackup::bench
