// Checks the parser against the real `systemd-analyze calendar`: the same expressions must be
// accepted or refused, and accepted ones must normalize to the same text. Skipped where
// systemd-analyze is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <string>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {
namespace {

std::optional<std::string> FindSystemdAnalyze() {
  for (const char* path : {"/usr/bin/systemd-analyze", "/bin/systemd-analyze"}) {
    if (access(path, X_OK) == 0) return std::string(path);
  }
  return std::nullopt;
}

// Runs `systemd-analyze calendar EXPR` in UTC and returns its normalized form, or nullopt when
// it refuses the expression.
std::optional<std::string> SystemdNormalized(const std::string& tool, const std::string& expr) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    setenv("TZ", "UTC", 1);
    setenv("LC_ALL", "C", 1);
    const char* null_fd_path = "/dev/null";
    if (freopen(null_fd_path, "w", stderr) == nullptr) _exit(126);
    execl(tool.c_str(), tool.c_str(), "calendar", expr.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  std::array<char, 4096> buffer;
  ssize_t n;
  while ((n = read(fds[0], buffer.data(), buffer.size())) > 0) out.append(buffer.data(), n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  const std::string marker = "Normalized form: ";
  const std::size_t at = out.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const std::size_t end = out.find('\n', at);
  return out.substr(at + marker.size(), end - at - marker.size());
}

constexpr const char* kExpressions[] = {
    // Accepted.
    "daily",
    "hourly",
    "minutely",
    "weekly",
    "monthly",
    "yearly",
    "annually",
    "quarterly",
    "semiannually",
    "bi-annually",
    "Daily",
    "Mon..Fri 9:00",
    "Mon-Fri",
    "Sat,Sun *-*-* 02:00",
    "sat..sun",
    "Mon..Sun",
    "Monday..Wednesday,fri",
    "FRIDAY",
    "Mon,",
    "Mon,Tue,Wed,Fri",
    "Tue..Thu,Sat 6:30",
    "*-*-* 02:00:00",
    "*-*-*",
    "*-*",
    "*:0/15",
    "*:*:*",
    "*:*:0/1",
    "*-*~3",
    "*-*~1..3",
    "*-02~03",
    "2024-02~03",
    "*-*~7/2",
    "24-1-1",
    "70-1-1",
    "69-12-31",
    "2199-12-31 23:59:59",
    "1970-01-01",
    "*-*-1..31/7",
    "*-*-* 3,1,2,1:00",
    "*:*:6.1234567",
    "*:*:0/0.5",
    "*:*:1..3",
    "*:*:1..3/0.5",
    "*:1..1",
    "*:0..61/7",
    "*-*-* 0..23/5:00",
    "1..3/1:00",
    "00/1:00",
    "Mon  *-*-*   1:2",
    "daily UTC",
    "*-*-* 00:00 utc",
    "Mon UTC",
    "Wed *-*-1..7 12:00",
    "2024-*-01/2 1,2:3..5:6.5",
    "*-1,4,7,10-1",
    "*-01..12/3-01",
    "Fri *-*~1..7 23:00",
    "*-*~28",
    "*-*~10,2",
    "*-*~2,5,22",
    "*-*~20..28",
    "*-*-* 08..18:00/10",
    "5:00",
    "5:00:30",
    "2030-6-15 12:34:56.789",
    // Refused.
    "",
    "Wed..Mon",
    "Mnd *-*-* 02:00",
    "mon,,tue",
    "Mon..Tue..Wed",
    "Mon.Fri",
    "Mon..",
    "*",
    "12",
    "*-*-*,1",
    "2024-*-*/2",
    "*/5-1-1",
    "2024~02-03",
    "*:*:6.",
    "*:*:1..1",
    "*:*:1.5..2",
    "*:45/15",
    "*:50/15",
    "*-*~1/2",
    "*-*~29",
    "*-*~10,2,27",
    "*-*~1,2,3,20",
    "*-*~3/27",
    "*-*~2,5,23",
    "1969-1-1",
    "2200-1-1",
    "*-*-* 00:00:60",
    "*-*-* 24:00",
    "*-13-1",
    "*-0-1",
    "*-1-0",
    "*-1-32",
    "1.5:00",
    "*:0/0",
    "*-5..3-1",
    " daily",
    "daily ",
    "UTC",
    "Mon*",
    "*-*-* 1:2:3:4",
    "*-*-*-*",
    "0..61/7:00",
};

TEST(CalendarSystemd, AgreesWithSystemdAnalyze) {
  const std::optional<std::string> tool = FindSystemdAnalyze();
  if (!tool) GTEST_SKIP() << "systemd-analyze is not installed";
  CalendarParseOptions utc;
  utc.local_zone_names = {"UTC", "UTC"};
  int compared = 0;
  for (const char* expr : kExpressions) {
    const std::optional<std::string> expected = SystemdNormalized(*tool, expr);
    const CalendarResult ours = ParseCalendar(expr, utc);
    if (expected) {
      EXPECT_TRUE(ours.ok()) << "'" << expr << "' refused: " << ours.error().message;
      if (ours.ok()) {
        EXPECT_EQ(ours->Normalized(), *expected) << "'" << expr << "'";
      }
    } else {
      EXPECT_FALSE(ours.ok()) << "'" << expr << "' accepted as " << ours->Normalized()
                              << " but systemd refuses it";
    }
    ++compared;
  }
  EXPECT_GE(compared, 40);
}

}  // namespace
}  // namespace guestbackup::schedule
