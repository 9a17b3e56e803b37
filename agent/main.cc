// guestbackup: the in-guest backup agent. Everything lives in the core library and the CLI;
// this file only hands argv over.
#include <iostream>
#include <string>
#include <vector>

#include "cli/run_cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return guestbackup::cli::RunCli(args, std::cout, std::cerr);
}
