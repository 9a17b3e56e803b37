#include "cli/run_cli.h"

namespace guestbackup::cli {

int RunCli(const std::vector<std::string>& /*args*/, std::ostream& /*out*/, std::ostream& err) {
  err << "not yet\n";
  return 2;
}

}  // namespace guestbackup::cli
