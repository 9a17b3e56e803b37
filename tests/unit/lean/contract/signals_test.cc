// The CLI's signal handling with real signals: SIGINT/SIGTERM set the interrupt flag; once the
// daemon routes signals to its pipe, SIGHUP writes 'H' (reload) and no longer interrupts, and
// SIGTERM writes 'T'. Its own binary: the flag it sets is process-wide.
#include "lean/contract/signals.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <string>

namespace guestbackup::contract {
namespace {

std::string Drain(int fd) {
  std::string bytes;
  char buffer[16];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);
  return bytes;
}

TEST(SignalsTest, DaemonPipeTurnsSighupIntoReloadAndKeepsSigtermAStop) {
  const std::atomic<bool>* interrupted = InstallInterruptHandlers();
  const int fd = RouteSignalsToPipe();
  ASSERT_GE(fd, 0);
  EXPECT_EQ(RouteSignalsToPipe(), fd);  // one pipe per process

  ASSERT_EQ(raise(SIGHUP), 0);
  EXPECT_EQ(Drain(fd), "H");
  EXPECT_FALSE(interrupted->load());

  ASSERT_EQ(raise(SIGHUP), 0);
  ASSERT_EQ(raise(SIGTERM), 0);
  EXPECT_EQ(Drain(fd), "HT");
  EXPECT_TRUE(interrupted->load());
}

}  // namespace
}  // namespace guestbackup::contract
