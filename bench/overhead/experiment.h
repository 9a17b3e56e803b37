// One benchmark run end to end: two trees, one local kopia server with two identities, the
// first backups, then the interleaved no-change backups.
#pragma once

#include <ostream>

#include "lean/base/status.h"
#include "options.h"
#include "report.h"

namespace guestbackup::bench {

// Progress goes to `log` as it happens. Returns the first failure (tree, server, a run that
// did not exit 0) with context.
Result<Measurements> RunExperiment(const BenchOptions& options, std::ostream& log);

}  // namespace guestbackup::bench
