// What kopia's log lines say about a volume shadow copy, and the mode each `snapshot:` asks
// kopia for. The lines are kopia v0.23.1's, as kopia.exe printed them under wine (where no copy
// can be made) and as its snapshot/upload code writes them when one is.
#include "full/kopia/shadow_copy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guestbackup::kopia {
namespace {

ShadowCopyReport Observed(const std::vector<std::string>& lines) {
  ShadowCopyReport report;
  for (const auto& line : lines) report.Observe(line);
  return report;
}

TEST(ShadowCopyReport, ACopyMadeAndUsedGivesItsId) {
  const ShadowCopyReport r = Observed({
      "Snapshotting SYSTEM@vm:C:\\data ...",
      "creating volume shadow copy of C:\\",
      "new volume shadow copy id {4b7c3a0e-5a1d-4d4f-9f0e-2c1d3b4a5e6f}",
      " * 0 hashing, 3 hashed (30 B), 0 cached (0 B), uploaded 0 B, estimated 30 B (100.0%) 0s "
      "left",
      "removing volume shadow copy id {4b7c3a0e-5a1d-4d4f-9f0e-2c1d3b4a5e6f}",
  });
  EXPECT_TRUE(r.tried);
  EXPECT_TRUE(r.used);
  EXPECT_EQ(r.copy_id, "{4b7c3a0e-5a1d-4d4f-9f0e-2c1d3b4a5e6f}");
  EXPECT_EQ(r.fell_back, "");
}

TEST(ShadowCopyReport, WhenAvailableFallsBackAndSaysWhy) {
  const ShadowCopyReport r = Observed({
      "Snapshotting root@vm:Z:\\tmp\\data ...",
      "creating volume shadow copy of Z:\\",
      "OS file system snapshot failed (ignoring): vss: SWbemLocator.ConnectServer failed "
      "(error 2147614725)",
  });
  EXPECT_TRUE(r.tried);
  EXPECT_FALSE(r.used);
  EXPECT_EQ(r.fell_back, "vss: SWbemLocator.ConnectServer failed (error 2147614725)");
}

TEST(ShadowCopyReport, ACopyMadeButNotOpenedIsAFallBack) {
  const ShadowCopyReport r = Observed({
      "creating volume shadow copy of C:\\",
      "new volume shadow copy id {4b7c3a0e-5a1d-4d4f-9f0e-2c1d3b4a5e6f}",
      "OS file system snapshot failed (ignoring): The device is not ready.",
      "removing volume shadow copy id {4b7c3a0e-5a1d-4d4f-9f0e-2c1d3b4a5e6f}",
  });
  EXPECT_TRUE(r.tried);
  EXPECT_FALSE(r.used);
  EXPECT_EQ(r.copy_id, "");
  EXPECT_EQ(r.fell_back, "The device is not ready.");
}

TEST(ShadowCopyReport, AMarkerInsideALineIsAFileNameNotKopiasWord) {
  const ShadowCopyReport r = Observed({
      "creating volume shadow copy of C:\\",
      "OS file system snapshot failed (ignoring): access denied",
      "! Error when processing \"C:\\data\\new volume shadow copy id x\": access denied",
  });
  EXPECT_FALSE(r.used);
  EXPECT_EQ(r.fell_back, "access denied");
}

TEST(ShadowCopyReport, AlwaysThatCannotMakeOneIsTriedAndUnused) {
  const ShadowCopyReport r = Observed({
      "creating volume shadow copy of Z:\\",
      "upload error: vss: SWbemLocator.ConnectServer failed (error 2147614725)",
  });
  EXPECT_TRUE(r.tried);
  EXPECT_FALSE(r.used);
  EXPECT_EQ(r.fell_back, "");
}

TEST(ShadowCopyReport, APathThatIsAlreadyAShadowCopyCountsAsUsed) {
  const ShadowCopyReport r = Observed({
      "path is already a volume shadow copy (skipping creation): "
      "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\data",
  });
  EXPECT_TRUE(r.used);
}

TEST(ShadowCopyReport, NothingSaidMeansNothingTried) {
  const ShadowCopyReport r = Observed({"Snapshotting root@vm:/etc ...", "Created snapshot"});
  EXPECT_FALSE(r.tried);
  EXPECT_FALSE(r.used);
}

TEST(ShadowCopyModeFor, MapsEachModeToKopiasName) {
  EXPECT_EQ(ShadowCopyModeFor(policy::SnapshotMode::kVss), "always");
  EXPECT_EQ(ShadowCopyModeFor(policy::SnapshotMode::kWhenAvailable), "when-available");
  // `none` says so on Windows; elsewhere the source simply inherits kopia's (never).
  EXPECT_EQ(ShadowCopyModeFor(policy::SnapshotMode::kNone),
            policy::kHasVolumeShadowCopies ? "never" : "");
}

}  // namespace
}  // namespace guestbackup::kopia
