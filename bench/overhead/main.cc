// guestbackup_bench_overhead: what `guestbackup run` costs on top of the `kopia snapshot
// create` it wraps, for a first backup and for a backup with nothing changed. Prints the
// figures and the targets; always exits 0 once measured, since this is not a gate.
#include <iostream>

#include "experiment.h"
#include "options.h"
#include "report.h"

int main(int argc, char** argv) {
  using namespace guestbackup::bench;
  int exit_code = 0;
  const auto options = ParseOptions(argc, argv, exit_code);
  if (!options) return exit_code;
  auto measured = RunExperiment(*options, std::cerr);
  if (!measured.ok()) {
    std::cerr << "guestbackup_bench_overhead: " << measured.status().ToString() << "\n";
    return 1;
  }
  PrintReport(*measured, std::cout);
  return 0;
}
