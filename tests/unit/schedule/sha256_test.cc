// The local SHA-256 behind the jitter must equal OpenSSL's digest (base/hex.h) byte for byte,
// at every length around the block and padding boundaries.
#include "core/schedule/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "core/base/hex.h"

namespace guestbackup::schedule {
namespace {

std::string LocalHex(std::string_view bytes) {
  const auto digest = Sha256(bytes);
  return HexEncode(digest.data(), digest.size());
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(LocalHex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(LocalHex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(LocalHex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, EqualsOpenSslAtEveryLengthUpTo300Bytes) {
  std::string input;
  for (int n = 0; n <= 300; ++n) {
    EXPECT_EQ(LocalHex(input), Sha256Hex(input)) << "length " << n;
    input.push_back(static_cast<char>((n * 37 + 11) & 0xff));
  }
}

}  // namespace
}  // namespace guestbackup::schedule
