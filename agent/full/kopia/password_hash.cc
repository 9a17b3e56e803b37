#include "full/kopia/password_hash.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace guestbackup::kopia {
namespace {

constexpr std::size_t kSaltLength = 32;
constexpr std::size_t kKeyLength = 32;

std::string Base64(const unsigned char* data, std::size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

Result<std::string> HashUserPasswordWithSalt(std::string_view password, std::string_view salt) {
  if (salt.size() != kSaltLength) return InvalidArgument("password salt must be 32 bytes");
  std::vector<unsigned char> payload(salt.begin(), salt.end());
  payload.resize(kSaltLength + kKeyLength);
  // scrypt N=65536, r=8 needs 64 MiB; allow a little more than that.
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), 65536, 8, 1,
                     96ULL * 1024 * 1024, payload.data() + kSaltLength, kKeyLength) != 1) {
    return Internal("scrypt failed while hashing a password");
  }
  const nlohmann::ordered_json j = {{"passwordHashVersion", 1},
                                    {"passwordHash", Base64(payload.data(), payload.size())}};
  const std::string text = j.dump();
  return Base64(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

Result<std::string> HashUserPassword(std::string_view password) {
  std::string salt(kSaltLength, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(kSaltLength)) !=
      1) {
    return Internal("no random bytes for a password salt");
  }
  return HashUserPasswordWithSalt(password, salt);
}

}  // namespace guestbackup::kopia
