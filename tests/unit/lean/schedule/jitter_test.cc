// Jitter: the same delay for the same machine and job on every call, within [0, max), and
// spread evenly across jobs and machines.
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "lean/schedule/next_elapse.h"
#include "support/temp_dir.h"

namespace guestbackup::schedule {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kMachine = "4f1c0e6a7d2b4f8e9a3c5d7e1f2a3b4c";

TEST(Jitter, IsStableAcrossCalls) {
  const milliseconds first = JitterFor(kMachine, "home", seconds(3600));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(JitterFor(kMachine, "home", seconds(3600)), first);
  // Pinned: the first 64 bits of SHA-256("guestbackup-jitter\n<machine>\nhome") mod 3600000.
  // A change here would move every deployed job's start time.
  EXPECT_EQ(first, milliseconds(259224));
}

TEST(Jitter, StaysWithinBounds) {
  EXPECT_EQ(JitterFor(kMachine, "home", seconds(0)), milliseconds(0));
  EXPECT_EQ(JitterFor(kMachine, "home", seconds(-5)), milliseconds(0));
  for (int max : {1, 2, 7, 60, 3600, 86400}) {
    for (int job = 0; job < 200; ++job) {
      const milliseconds d = JitterFor(kMachine, "job" + std::to_string(job), seconds(max));
      EXPECT_GE(d.count(), 0);
      EXPECT_LT(d, seconds(max));
    }
  }
}

TEST(Jitter, DiffersBetweenJobsAndMachines) {
  std::set<std::int64_t> by_job;
  std::set<std::int64_t> by_machine;
  for (int i = 0; i < 50; ++i) {
    by_job.insert(JitterFor(kMachine, "job" + std::to_string(i), seconds(3600)).count());
    by_machine.insert(JitterFor("machine" + std::to_string(i), "home", seconds(3600)).count());
  }
  // 50 draws from 3.6 million values: a collision would be a 1-in-3000 event.
  EXPECT_EQ(by_job.size(), 50u);
  EXPECT_EQ(by_machine.size(), 50u);
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(JitterFor("ab", "c", seconds(3600)), JitterFor("a", "bc", seconds(3600)));
}

TEST(Jitter, IsRoughlyUniformOverAThousandJobs) {
  constexpr int kJobs = 1000;
  constexpr int kBuckets = 10;
  std::array<int, kBuckets> counts{};
  for (int job = 0; job < kJobs; ++job) {
    const milliseconds d = JitterFor(kMachine, "job-" + std::to_string(job), seconds(600));
    ++counts[static_cast<std::size_t>(d.count() * kBuckets / 600'000)];
  }
  // Chi-square with 9 degrees of freedom; 27.9 is its 0.1% critical value.
  double chi_square = 0;
  for (int c : counts) {
    const double expected = static_cast<double>(kJobs) / kBuckets;
    chi_square += (c - expected) * (c - expected) / expected;
  }
  EXPECT_LT(chi_square, 27.9) << ::testing::PrintToString(counts);
}

TEST(MachineId, ReadsTheFileTrimmedOrFallsBackToTheHostName) {
  testing::TempDir dir;
  EXPECT_EQ(MachineIdFrom(dir.WriteFile("machine-id", "  0123abcd\n")), "0123abcd");
  const std::string host = MachineIdFrom((dir.path() / "absent").string());
  EXPECT_FALSE(host.empty());
  EXPECT_EQ(MachineIdFrom(dir.WriteFile("empty", "\n")), host);
  EXPECT_FALSE(MachineId().empty());
}

}  // namespace
}  // namespace guestbackup::schedule
