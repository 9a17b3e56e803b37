// The one SHA-256 (lean/base/sha256.h) must equal OpenSSL's digest byte for byte, at every
// length around the block and padding boundaries: certificate fingerprints depend on it.
#include "lean/base/sha256.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>

namespace guestbackup {
namespace {

std::string OpenSslHex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return HexEncode(digest, len);
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, EqualsOpenSslAtEveryLengthUpTo300Bytes) {
  std::string input;
  for (int n = 0; n <= 300; ++n) {
    EXPECT_EQ(Sha256Hex(input), OpenSslHex(input)) << "length " << n;
    input.push_back(static_cast<char>((n * 37 + 11) & 0xff));
  }
}

TEST(Sha256Test, HexEncodeIsLowercase) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(HexEncode(bytes, sizeof bytes), "000fa5ff");
}

}  // namespace
}  // namespace guestbackup
