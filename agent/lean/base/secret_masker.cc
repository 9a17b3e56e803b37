#include "lean/base/secret_masker.h"

#ifndef _WIN32
#include <sys/resource.h>
#endif
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace guestbackup {
namespace {

constexpr std::string_view kMask = "********";
// Shorter values would mask innocent text ("on", "123") in every line.
constexpr std::size_t kMinSecretLength = 4;

// Kept sorted longest first, so where two secrets start at the same place (a password and
// its prefix) the whole longer one is masked.
struct Registry {
  std::shared_mutex mutex;
  std::vector<std::string> secrets;
};

Registry& GetRegistry() {
  static auto* registry = new Registry();  // never destroyed: logging may run during exit
  return *registry;
}

// Returns the longest registered secret that starts at text[pos], or "".
std::string_view MatchAt(const std::vector<std::string>& secrets, std::string_view text,
                         std::size_t pos) {
  for (const std::string& secret : secrets) {
    if (text.compare(pos, secret.size(), secret) == 0) return secret;
  }
  return {};
}

// Once a secret is in memory, a crash must not write it to a core file: the process becomes
// non-dumpable (no core, no ptrace by other users) and its core size limit 0, which the
// children that get the secret in their environment (kopia) inherit. Windows writes no dump
// of a crashed process unless an administrator configured Windows Error Reporting to.
void KeepSecretsOutOfCoreDumps() {
  static const bool done = [] {
#ifdef __linux__
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
#ifndef _WIN32
    struct rlimit none {};
    (void)setrlimit(RLIMIT_CORE, &none);
#endif
    return true;
  }();
  (void)done;
}

}  // namespace

void RegisterSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  KeepSecretsOutOfCoreDumps();
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mutex);
  auto& secrets = registry.secrets;
  if (std::find(secrets.begin(), secrets.end(), secret) != secrets.end()) return;
  auto longer = [](const std::string& a, std::string_view b) { return a.size() >= b.size(); };
  secrets.insert(std::lower_bound(secrets.begin(), secrets.end(), secret, longer),
                 std::string(secret));
}

std::string MaskSecrets(std::string_view text) {
  Registry& registry = GetRegistry();
  std::shared_lock lock(registry.mutex);
  const auto& secrets = registry.secrets;
  if (secrets.empty()) return std::string(text);

  // One left-to-right scan rather than one replace per secret: a replacement is never
  // searched again, so a secret made of '*' cannot eat into the mask of another.
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view match = MatchAt(secrets, text, pos);
    if (match.empty()) {
      out.push_back(text[pos++]);
    } else {
      out.append(kMask);
      pos += match.size();
    }
  }
  return out;
}

void ClearSecretsForTesting() {
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mutex);
  registry.secrets.clear();
}

}  // namespace guestbackup
