// `bandwidth:` end to end: the real agent's kopia goes through the relay to the real server,
// is held to the rate (a lower bound only: a limited transfer cannot be faster than its rate
// allows; how close it comes is bench/bandwidth's to measure), the snapshot restores whole,
// and the server's certificate is still checked — pinned, or verified against a CA and then
// pinned for the relayed connection.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "agent_harness.h"
#include "support/temp_dir.h"
#include "unit/full/status/https_receiver.h"

namespace guestbackup::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string RandomBytes(std::size_t size) {
  std::mt19937_64 random(42);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  return bytes;
}

double SecondsOf(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// 3 MiB that do not compress or deduplicate: at 512KiB/s at least 6 s less one burst.
TEST(BandwidthTest, ALimitedRunGoesThroughTheRelayAtMostAtItsRate) {
  Agent agent("alice", "vm1");
  const std::string content = RandomBytes(3 * 1024 * 1024);
  const std::string file = agent.WriteData("big.bin", content);
  // The job's window holds all day; the global download limit is the restore's.
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n"
                    "    bandwidth:\n"
                    "      windows:\n"
                    "        - when: \"00:00-24:00\"\n"
                    "          upload: 512KiB/s\n"
                    "bandwidth:\n"
                    "  download: 1MiB/s\n");
  const auto run_start = Clock::now();
  const CommandResult run = agent.Run({"--log-level", "info", "run", "docs"});
  const double run_seconds = SecondsOf(Clock::now() - run_start);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("through 127.0.0.1:"), std::string::npos) << run.err;
  EXPECT_NE((run.out + run.err).find("now at most 512KiB/s up, 1MiB/s down"), std::string::npos)
      << run.err;
  EXPECT_GE(run_seconds, 5.0) << "3 MiB at 512KiB/s";

  std::filesystem::remove(file);
  const auto restore_start = Clock::now();
  const CommandResult restore = agent.Run({"restore", file});
  const double restore_seconds = SecondsOf(Clock::now() - restore_start);
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_GE(restore_seconds, 2.5) << "3 MiB at 1MiB/s";
  EXPECT_TRUE(ReadFile(file) == content);
}

TEST(BandwidthTest, WithoutALimitKopiaTalksToTheServerDirectly) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "a\n");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n");
  const CommandResult run = agent.Run({"--log-level", "info", "run", "docs"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ((run.out + run.err).find("bandwidth:"), std::string::npos) << run.err;
  // The connection's kopia config exists, a relayed copy of it does not.
  bool config = false;
  bool relayed_config = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(agent.state())) {
    config |= entry.path().filename() == "repository.config";
    relayed_config |= entry.path().filename() == "repository.relayed.config";
  }
  EXPECT_TRUE(config);
  EXPECT_FALSE(relayed_config);
}

// A server trusted by a CA: kopia could not check the name "127.0.0.1" of the relay against
// the certificate, so the agent verifies the server itself and pins what it verified.
TEST(BandwidthTest, ACaTrustedServerIsVerifiedAndPinnedThroughTheRelay) {
  Agent agent("alice", "vm1");
  agent.WriteData("a.txt", "a\n");
  const std::string jobs =
      "  docs:\n    paths: [" + agent.data().string() + "]\nbandwidth:\n  upload: 50MiB/s\n";
  agent.WritePolicy(jobs, {{"fingerprint", ""}, {"ca_file", SharedServer().cert_file()}});
  const CommandResult run = agent.Run({"--log-level", "info", "run", "docs"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("through 127.0.0.1:"), std::string::npos) << run.err;

  // Another CA: the connection made earlier is reused, and the relay's check refuses.
  TempDir certs;
  const status::TestCertificate other = status::MakeSelfSignedCertificate(certs, "127.0.0.1");
  agent.WritePolicy(jobs, {{"fingerprint", ""}, {"ca_file", other.cert_file}});
  const CommandResult refused = agent.Run({"run", "docs"});
  EXPECT_EQ(refused.exit_code, 5) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("verify the certificate of 127.0.0.1:"),
            std::string::npos)
      << refused.out << refused.err;
}

}  // namespace
}  // namespace guestbackup::testing
