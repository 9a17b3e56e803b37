// The metrics textfile: its exact text (a golden file), its acceptance by the real promtool,
// the figures read from a real history database, and the atomic replacement with mode 0644.
#include "full/status/metrics_textfile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "lean/platform/atomic_file.h"
#include "support/temp_dir.h"

namespace guestbackup::status {
namespace {

using contract::RunStatus;
using guestbackup::testing::ReadFile;
using guestbackup::testing::TempDir;

const std::string kGolden = std::string(GUESTBACKUP_TESTDATA_DIR) + "/metrics.prom";

history::RunRecord Finished(std::string job, RunStatus status, std::int64_t start_ms,
                            std::int64_t end_ms, std::int64_t bytes) {
  history::RunRecord r;
  r.job = std::move(job);
  r.status = status;
  r.start_ms = start_ms;
  r.end_ms = end_ms;
  r.bytes = bytes;
  return r;
}

// Three jobs: one healthy, one whose last run was partial after earlier failures, one that
// never ran.
std::vector<JobMetrics> SampleJobs() {
  JobMetrics etc{
      "etc",
      Finished("etc", RunStatus::kSucceeded, 1'764'000'000'000, 1'764'000'012'345, 52'428'800),
      1'764'000'012'345,
      {{RunStatus::kSucceeded, 12}, {RunStatus::kSkipped, 1}}};
  JobMetrics db{"db",
                Finished("db", RunStatus::kPartial, 1'764'003'600'000, 1'764'003'661'007, 7),
                1'764'003'661'007,
                {{RunStatus::kPartial, 1}, {RunStatus::kFailed, 2}, {RunStatus::kInterrupted, 1}}};
  JobMetrics fresh{"new-job", std::nullopt, std::nullopt, {}};
  return {etc, db, fresh};
}

// promtool's exit status and output for `check metrics` fed `text`; -1 when it is not installed.
int Promtool(const std::string& text, std::string* output) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return -1;
  TempDir dir;
  const std::string in = dir.WriteFile("metrics.prom", text);
  const std::string out = (dir.path() / "out").string();
  const std::string command = "promtool check metrics < '" + in + "' > '" + out + "' 2>&1";
  const int rc = std::system(command.c_str());
  *output = ReadFile(out);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

TEST(MetricsTextfile, RendersTheGoldenFile) {
  const std::string rendered = RenderMetrics(SampleJobs());
  const char* update = std::getenv("GUESTBACKUP_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    ASSERT_TRUE(platform::WriteFileAtomically(kGolden, rendered, 0644).ok());
  }
  EXPECT_EQ(rendered, ReadFile(kGolden)) << "run with GUESTBACKUP_UPDATE_GOLDEN=1 to accept:\n"
                                         << rendered;
}

TEST(MetricsTextfile, PromtoolAcceptsIt) {
  std::string output;
  const int rc = Promtool(RenderMetrics(SampleJobs()), &output);
  if (rc == -1) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  // Lint problems are printed and make the exit status 1 as well.
  EXPECT_EQ(rc, 0) << output;
  EXPECT_EQ(output, "");
}

TEST(MetricsTextfile, PromtoolWouldCatchABrokenFile) {
  // Shows the check above has teeth: a counter without the _total suffix and a bad line.
  std::string output;
  const int rc = Promtool("# TYPE x counter\nx{job=\"a\"} 1\nnot a metric\n", &output);
  if (rc == -1) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  EXPECT_NE(rc, 0) << output;
}

TEST(MetricsTextfile, LabelValuesAreEscaped) {
  JobMetrics odd{"a\"b\\c\nd", std::nullopt, std::nullopt, {}};
  const std::string text = RenderMetrics({odd});
  EXPECT_NE(
      text.find("guestbackup_last_success_timestamp_seconds{job=\"a\\\"b\\\\c\\nd\"} 0.000\n"),
      std::string::npos)
      << text;
}

TEST(MetricsTextfile, CollectsFromTheHistoryAndWritesAtomically) {
  TempDir dir;
  auto opened = history::HistoryDb::Open((dir.path() / "history.db").string());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  history::HistoryDb& db = **opened;
  auto finish = [&](std::int64_t start, RunStatus status, std::int64_t bytes) {
    auto id = db.BeginRun("etc", "timer", start);
    ASSERT_TRUE(id.ok());
    history::RunOutcome o;
    o.status = status;
    o.end_ms = start + 2'500;
    o.bytes = bytes;
    ASSERT_TRUE(db.FinishRun(*id, o).ok());
  };
  finish(1'000'000, RunStatus::kSucceeded, 100);
  finish(2'000'000, RunStatus::kFailed, 0);
  finish(3'000'000, RunStatus::kSucceeded, 300);
  finish(4'000'000, RunStatus::kFailed, 5);
  ASSERT_TRUE(db.BeginRun("etc", "timer", 5'000'000).ok());  // still running: not "last"

  policy::Policy policy;
  policy.jobs.resize(2);
  policy.jobs[0].name = "etc";
  policy.jobs[1].name = "home";
  const std::string path = MetricsTextfilePath(policy, dir.path().string());
  EXPECT_EQ(path, dir.path().string() + "/guestbackup.prom");
  ::umask(077);  // the file is 0644 whatever the umask
  ASSERT_TRUE(WriteMetricsTextfile(db, policy, path).ok());
  ::umask(022);

  const std::string text = ReadFile(path);
  EXPECT_NE(text.find("guestbackup_last_success_timestamp_seconds{job=\"etc\"} 3002.500\n"),
            std::string::npos);
  EXPECT_NE(text.find("guestbackup_last_run_status{job=\"etc\",status=\"failed\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("guestbackup_last_duration_seconds{job=\"etc\"} 2.500\n"), std::string::npos);
  EXPECT_NE(text.find("guestbackup_last_bytes{job=\"etc\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("guestbackup_runs_total{job=\"etc\",status=\"succeeded\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("guestbackup_runs_total{job=\"etc\",status=\"failed\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("guestbackup_last_success_timestamp_seconds{job=\"home\"} 0.000\n"),
            std::string::npos);
  EXPECT_EQ(text.find("guestbackup_last_bytes{job=\"home\"}"), std::string::npos);
  EXPECT_EQ(text.find("running"), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644U);
  // Only the file itself is left: the temporary one was renamed over it.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    if (e.path().filename().string().find(".prom") != std::string::npos) ++entries;
  }
  EXPECT_EQ(entries, 1);

  policy.metrics.textfile = (dir.path() / "missing-dir" / "x.prom").string();
  const Status missing =
      WriteMetricsTextfile(db, policy, MetricsTextfilePath(policy, dir.path().string()));
  EXPECT_EQ(missing.code(), StatusCode::kIo);
  EXPECT_NE(missing.message().find("missing-dir/x.prom: No such file or directory"),
            std::string::npos)
      << missing.message();
}

}  // namespace
}  // namespace guestbackup::status
