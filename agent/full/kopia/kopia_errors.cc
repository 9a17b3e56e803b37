#include "full/kopia/kopia_errors.h"

#include <regex>
#include <string>
#include <vector>

namespace guestbackup::kopia {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find_first_of("\r\n");
    const auto line = text.substr(0, nl);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

std::string LastErrorLine(std::string_view stderr_text) {
  const auto lines = Lines(stderr_text);
  if (lines.empty()) return "kopia printed no error message";
  std::string line(lines.back());
  // kopia prefixes usage errors with "kopia: error: " and wraps RPC errors in layers of
  // context; the innermost "desc = ..." is the part a person needs.
  static const std::string kPrefix = "kopia: error: ";
  if (line.rfind(kPrefix, 0) == 0) line.erase(0, kPrefix.size());
  if (const auto d = line.rfind("desc = "); d != std::string::npos) line = line.substr(d + 7);
  return line;
}

Status ClassifyKopiaFailure(std::string_view what, std::string_view err) {
  const std::string context(what);
  static const std::regex kFingerprint(
      R"(can't find certificate matching SHA256 fingerprint \\?"([0-9a-fA-F]*)\\?" \(server had \[([0-9a-fA-F ]*)\]\))");
  std::match_results<std::string_view::const_iterator> m;
  if (std::regex_search(err.begin(), err.end(), m, kFingerprint)) {
    return Unavailable(context + ": the server's TLS certificate does not match the pinned " +
                       "fingerprint (pinned " + m[1].str() + ", server presented " + m[2].str() +
                       "); refusing to connect");
  }
  if (Contains(err, "x509:") || Contains(err, "tls:") || Contains(err, "certificate")) {
    return Unavailable(context + ": TLS verification failed: " + LastErrorLine(err));
  }
  if (Contains(err, "PermissionDenied") || Contains(err, "access denied") ||
      Contains(err, "Unauthenticated") || Contains(err, "invalid credentials") ||
      Contains(err, "401 Unauthorized")) {
    return Unavailable(context + ": authentication failed (wrong password, or the user is not " +
                       "known to the server)");
  }
  if (Contains(err, "connection refused") || Contains(err, "no such host") ||
      Contains(err, "i/o timeout") || Contains(err, "network is unreachable") ||
      Contains(err, "connection reset") || Contains(err, "code = Unavailable") ||
      Contains(err, "context deadline exceeded") || Contains(err, "server misbehaving")) {
    return Unavailable(context + ": " + std::string(kServerUnreachable) + ": " +
                       LastErrorLine(err));
  }
  return Failed(context + ": " + LastErrorLine(err));
}

bool IsServerUnreachable(const Status& failure) {
  return failure.code() == StatusCode::kUnavailable &&
         Contains(failure.message(), kServerUnreachable);
}

}  // namespace guestbackup::kopia
