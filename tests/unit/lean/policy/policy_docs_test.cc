// docs/policy.md is generated; this keeps the committed copy equal to the generator's output.
// GUESTBACKUP_UPDATE_DOCS=1 rewrites it instead of failing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "lean/policy/policy_loader.h"
#include "lean/policy/policy_schema.h"
#include "support/temp_dir.h"

namespace guestbackup::policy {
namespace {

TEST(PolicyDocs, CommittedDocsMatchTheSchema) {
  const std::string path = std::string(GUESTBACKUP_SOURCE_DIR) + "/docs/policy.md";
  const std::string generated = GeneratePolicyDocs();
  const char* update = std::getenv("GUESTBACKUP_UPDATE_DOCS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << generated;
  }
  EXPECT_EQ(guestbackup::testing::ReadFile(path), generated)
      << path << " is out of date; run: GUESTBACKUP_UPDATE_DOCS=1 ctest -R PolicyDocs";
}

TEST(PolicyDocs, EveryTableEntryIsDocumented) {
  const std::string docs = GeneratePolicyDocs();
  for (const SchemaEntry& entry : PolicySchema()) {
    EXPECT_NE(docs.find("| `" + entry.path + "` |"), std::string::npos) << entry.path;
    EXPECT_FALSE(entry.description.empty()) << entry.path;
  }
}

TEST(PolicySample, LoadsWithoutDiagnostics) {
  const std::string sample = GenerateSamplePolicy();
  const LoadResult result = LoadPolicyText(sample, "sample.yaml");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  ASSERT_TRUE(result.policy.has_value()) << sample;
  const Policy& policy = *result.policy;
  ASSERT_EQ(policy.jobs.size(), 1U);
  EXPECT_EQ(policy.jobs[0].name, "etc");
  EXPECT_EQ(policy.jobs[0].hooks.before.size(), 1U);
  EXPECT_EQ(policy.jobs[0].hooks.after.size(), 1U);
}

TEST(PolicySample, ShowsEveryScalarKeyWithItsExample) {
  const std::string sample = GenerateSamplePolicy();
  for (const SchemaEntry& entry : PolicySchema()) {
    if (entry.example.empty() || entry.path.ends_with(".*")) continue;
    const std::string key(SchemaKey(entry));
    EXPECT_NE(sample.find(key + ": " + entry.example), std::string::npos) << entry.path;
  }
}

}  // namespace
}  // namespace guestbackup::policy
