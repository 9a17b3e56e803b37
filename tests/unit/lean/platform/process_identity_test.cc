// A process is told apart across pid reuse and reboots: on Linux by /proc, on Windows by its
// creation time and the boot time.
#include "lean/platform/process_identity.h"

#include <gtest/gtest.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <string>

namespace guestbackup::platform {
namespace {

#ifdef __linux__

// A stat line as the kernel writes it, with `comm` in field 2 and start time 4242 in field 22.
std::string StatLine(const std::string& comm, char state = 'S') {
  return "1234 (" + comm + ") " + state +
         " 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 4242 1000 200 "
         "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
}

TEST(ParseProcStatTest, ReadsStateAndStartTicks) {
  std::optional<ProcStat> stat = ParseProcStat(StatLine("guestbackup"));
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 1);
  EXPECT_EQ(stat->start_ticks, 4242u);
}

TEST(ParseProcStatTest, CommWithSpacesAndParenthesesIsSkipped) {
  for (const std::string comm : {"a b", "x) Z 9 9 (y", "((", "))", ") ) )", ""}) {
    std::optional<ProcStat> stat = ParseProcStat(StatLine(comm, 'R'));
    ASSERT_TRUE(stat.has_value()) << comm;
    EXPECT_EQ(stat->state, 'R') << comm;
    EXPECT_EQ(stat->start_ticks, 4242u) << comm;
  }
}

TEST(ParseProcStatTest, ZombieState) {
  std::optional<ProcStat> stat = ParseProcStat(StatLine("sh", 'Z'));
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->state, 'Z');
}

TEST(ParseProcStatTest, MalformedLinesAreRejected) {
  EXPECT_FALSE(ParseProcStat("").has_value());
  EXPECT_FALSE(ParseProcStat("1234 (sh S 1 2 3").has_value());   // no ')'
  EXPECT_FALSE(ParseProcStat("1234 (sh) S 1 2 3").has_value());  // too few fields
  EXPECT_FALSE(
      ParseProcStat("1234 (sh) SS 1 1 1 0 -1 4 1 0 0 0 1 2 0 0 20 0 1 0 42 1").has_value());
  EXPECT_FALSE(
      ParseProcStat("1234 (sh) S 1 1 1 0 -1 4 1 0 0 0 1 2 0 0 20 0 1 0 4x2 1").has_value());
  EXPECT_FALSE(
      ParseProcStat("1234 (sh) S 1 1 1 0 -1 4 1 0 0 0 1 2 0 0 20 0 1 0 -42 1").has_value());
}

#endif  // __linux__

TEST(ProcessIdentityTest, CurrentProcessIsAlive) {
  const ProcessIdentity self = CurrentProcessIdentity();
  EXPECT_EQ(self.pid, CurrentProcessId());
#ifdef _WIN32
  EXPECT_TRUE(self.boot_id.starts_with("boot-")) << self.boot_id;
#else
  EXPECT_EQ(self.boot_id.size(), 36u) << self.boot_id;  // a UUID, newline trimmed
#endif
  EXPECT_EQ(self.boot_id, CurrentBootId());
  EXPECT_GT(self.start_ticks, 0u);
  EXPECT_TRUE(IsProcessAlive(self));

  std::optional<ProcessIdentity> again = ProcessIdentityOf(CurrentProcessId());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->start_ticks, self.start_ticks);
}

TEST(ProcessIdentityTest, DifferentBootIdIsGone) {
  ProcessIdentity self = CurrentProcessIdentity();
  self.boot_id = "00000000-0000-0000-0000-000000000000";
  EXPECT_FALSE(IsProcessAlive(self));
  self.boot_id = "";
  EXPECT_FALSE(IsProcessAlive(self));
}

TEST(ProcessIdentityTest, DifferentStartTimeIsGone) {
  // The same pid with another start time is a reused pid, not our process.
  ProcessIdentity self = CurrentProcessIdentity();
  self.start_ticks += 1;
  EXPECT_FALSE(IsProcessAlive(self));
}

TEST(ProcessIdentityTest, MissingPidIsGone) {
  ProcessIdentity identity = CurrentProcessIdentity();
  identity.pid = 0;
  EXPECT_FALSE(IsProcessAlive(identity));
  identity.pid = -5;
  EXPECT_FALSE(IsProcessAlive(identity));
  EXPECT_FALSE(ProcessIdentityOf(0).has_value());
}

#ifdef _WIN32
// A process that ended is gone while a handle still holds it (Windows' zombie) and after.
TEST(ProcessIdentityTest, KilledChildIsGoneWhileHeldAndAfterwards) {
  wchar_t command[] = L"cmd.exe /c exit 0";
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION child{};
  ASSERT_TRUE(CreateProcessW(nullptr, command, nullptr, nullptr, FALSE,
                             CREATE_SUSPENDED | CREATE_NO_WINDOW, nullptr, nullptr, &startup,
                             &child));
  std::optional<ProcessIdentity> identity = ProcessIdentityOf(static_cast<int>(child.dwProcessId));
  ASSERT_TRUE(identity.has_value());
  EXPECT_TRUE(IsProcessAlive(*identity));

  ASSERT_TRUE(TerminateProcess(child.hProcess, 9));
  ASSERT_EQ(WaitForSingleObject(child.hProcess, 10000), WAIT_OBJECT_0);
  EXPECT_FALSE(IsProcessAlive(*identity));
  EXPECT_FALSE(ProcessIdentityOf(static_cast<int>(child.dwProcessId)).has_value());
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);
  EXPECT_FALSE(IsProcessAlive(*identity));
}
#else
TEST(ProcessIdentityTest, KilledChildIsGoneAsZombieAndAfterReaping) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  std::optional<ProcessIdentity> identity = ProcessIdentityOf(child);
  ASSERT_TRUE(identity.has_value());
  EXPECT_TRUE(IsProcessAlive(*identity));

  ASSERT_EQ(kill(child, SIGKILL), 0);
  // Wait until it is dead but leave it unreaped: a zombie must already count as gone.
  siginfo_t info{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);
  EXPECT_FALSE(IsProcessAlive(*identity));
  EXPECT_FALSE(ProcessIdentityOf(child).has_value());

  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(IsProcessAlive(*identity));
}
#endif

}  // namespace
}  // namespace guestbackup::platform
