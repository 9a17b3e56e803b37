#include "cli/signals.h"

#include <csignal>

namespace guestbackup::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int /*signal*/) { g_interrupted.store(true); }

}  // namespace

const std::atomic<bool>* InstallInterruptHandlers() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    return true;
  }();
  (void)installed;
  return &g_interrupted;
}

}  // namespace guestbackup::cli
