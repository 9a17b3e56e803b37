// The identity a KubeVirt VM gets from its ConfigDrive instance_id, and kopia's name rules.
#include "full/discovery/identity.h"

#include <gtest/gtest.h>

namespace guestbackup::discovery {
namespace {

TEST(Identity, VmNameAndNamespaceFromInstanceId) {
  struct Case {
    const char* instance_id;
    const char* username;
    const char* hostname;
  };
  const Case cases[] = {
      {"web01.prod-vms", "web01", "prod-vms"},
      // VM names may hold dots; a namespace never does, so it is what follows the last one.
      {"db.primary.tenant-a", "db.primary", "tenant-a"},
      {"Web_01.Prod", "web_01", "prod"},
      {"vm:1.ns", "vm-1", "ns"},
  };
  for (const Case& c : cases) {
    const std::optional<Identity> identity = IdentityFromInstanceId(c.instance_id);
    ASSERT_TRUE(identity) << c.instance_id;
    EXPECT_EQ(identity->username, c.username) << c.instance_id;
    EXPECT_EQ(identity->hostname, c.hostname) << c.instance_id;
  }
}

TEST(Identity, NoIdentityWithoutBothParts) {
  for (const char* id : {"", "web01", ".ns", "web01.", "6e5f3c1a-7b2d-4e8f-9a0c-1d2e3f4a5b6c"}) {
    EXPECT_FALSE(IdentityFromInstanceId(id)) << id;
  }
}

TEST(Identity, KopiaNameKeepsOnlyKopiasCharacters) {
  EXPECT_EQ(KopiaName("Alpha-1_b.c"), "alpha-1_b.c");
  EXPECT_EQ(KopiaName("a b/c@d"), "a-b-c-d");
  EXPECT_EQ(KopiaName(""), "");
}

}  // namespace
}  // namespace guestbackup::discovery
