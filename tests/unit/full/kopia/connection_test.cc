#include "full/kopia/connection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

namespace fs = std::filesystem;

// A repository server connection as kopia v0.23.1's `repository connect server` writes it.
constexpr const char* kServerConfig = R"({
  "apiServer": {
    "url": "https://10.0.0.5:51515",
    "serverCertFingerprint": "ab12"
  },
  "hostname": "vm1",
  "username": "alice",
  "enableActions": false,
  "caching": {
    "cacheDirectory": "cache",
    "maxCacheSize": 5242880000,
    "maxMetadataCacheSize": 5242880000,
    "maxListCacheDuration": 30
  }
})";

TEST(WriteUncachedConfigTest, CopiesTheConnectionWithoutTheContentCacheBesideIt) {
  testing::TempDir dir;
  const std::string config = dir.WriteFile("repository.config", kServerConfig, 0600);
  auto uncached = WriteUncachedConfig(config);
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  EXPECT_EQ(*uncached, (dir.path() / "repository.uncached.config").string());

  nlohmann::json expected = nlohmann::json::parse(kServerConfig);
  expected["caching"].erase("maxCacheSize");
  EXPECT_EQ(nlohmann::json::parse(testing::ReadFile(*uncached)), expected);
#ifndef _WIN32  // Windows: the file keeps the ACL it inherits from the state directory
  EXPECT_EQ(fs::status(*uncached).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
#endif
}

TEST(WriteUncachedConfigTest, NamesTheRelayedConfigsCopyAfterIt) {
  testing::TempDir dir;
  const std::string config = dir.WriteFile("repository.relayed.config", kServerConfig, 0600);
  auto uncached = WriteUncachedConfig(config);
  ASSERT_TRUE(uncached.ok()) << uncached.status().ToString();
  EXPECT_EQ(*uncached, (dir.path() / "repository.relayed.uncached.config").string());
}

TEST(WriteUncachedConfigTest, LeavesAnUpToDateCopyUntouched) {
  testing::TempDir dir;
  const std::string config = dir.WriteFile("repository.config", kServerConfig, 0600);
  auto first = WriteUncachedConfig(config);
  ASSERT_TRUE(first.ok());
  const auto written = fs::last_write_time(*first);
  fs::last_write_time(*first, written - std::chrono::hours(1));
  auto second = WriteUncachedConfig(config);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(fs::last_write_time(*second), written - std::chrono::hours(1));

  // A changed connection is copied again.
  nlohmann::json changed = nlohmann::json::parse(kServerConfig);
  changed["apiServer"]["serverCertFingerprint"] = "cd34";
  dir.WriteFile("repository.config", changed.dump(), 0600);
  auto third = WriteUncachedConfig(config);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(nlohmann::json::parse(testing::ReadFile(*third))["apiServer"]["serverCertFingerprint"],
            "cd34");
}

TEST(WriteUncachedConfigTest, RefusesAConfigThatIsNotAServerConnection) {
  testing::TempDir dir;
  const std::string direct =
      dir.WriteFile("repository.config", R"({"storage": {"type": "filesystem"}})", 0600);
  auto uncached = WriteUncachedConfig(direct);
  ASSERT_FALSE(uncached.ok());
  EXPECT_EQ(uncached.status().message(), direct + " is not a kopia repository server connection");
  EXPECT_FALSE(fs::exists(dir.path() / "repository.uncached.config"));
}

}  // namespace
}  // namespace guestbackup::kopia
