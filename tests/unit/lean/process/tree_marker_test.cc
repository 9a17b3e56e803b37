// The process-tree marker every child carries: unique per call, and made where a minimal root
// (a chroot or container) has no /dev — a run must not abort there before it starts a child.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include "lean/process/process_tree_linux.h"

namespace guestbackup::process {
namespace {

TEST(TreeMarkerTest, EachCallGivesANewMarkerNamingThisProcess) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string marker = NewTreeMarker();
    EXPECT_TRUE(marker.starts_with(std::to_string(getpid()) + ".")) << marker;
    EXPECT_TRUE(seen.insert(marker).second) << marker;
  }
}

// In a child with a mount namespace of its own, /dev is replaced by an empty tmpfs: no
// /dev/urandom, as in a root that has only glibc and a shell.
TEST(TreeMarkerTest, IsMadeWithoutDevUrandom) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root for a mount namespace";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", "/dev", "tmpfs", 0, nullptr) != 0) {
      _exit(3);
    }
    if (access("/dev/urandom", F_OK) == 0) _exit(4);
    const std::string marker = NewTreeMarker();  // aborted here when it read /dev/urandom
    _exit(marker.size() > 16 ? 0 : 5);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3: no mount namespace, 4: /dev/urandom still there";
}

}  // namespace
}  // namespace guestbackup::process
