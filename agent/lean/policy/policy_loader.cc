// Loading: parse with yaml-cpp (its exceptions stop here), run the checking passes, and build
// the Policy only when nothing was found.
#include "lean/policy/policy_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "lean/policy/diagnostic_sink.h"
#include "lean/policy/policy_passes.h"

namespace guestbackup::policy {

const JobSpec* Policy::FindJob(const std::string& name) const {
  for (const JobSpec& job : jobs) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

namespace {

// A policy has "version:" and "jobs:" at the start of a line. A file with neither (a password
// file given as --policy by mistake) keeps its lines out of every message.
bool LooksLikePolicy(std::string_view text) {
  for (std::size_t start = 0; start < text.size();) {
    const std::string_view line = text.substr(start, text.find('\n', start) - start);
    if (line.starts_with("version:") || line.starts_with("jobs:")) return true;
    const std::size_t next = text.find('\n', start);
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return false;
}

LoadResult Failure(const std::string& path, const std::string& message) {
  LoadResult result;
  result.diagnostics.push_back({path, 0, 0, "", message, "", 0, true});
  return result;
}

}  // namespace

LoadResult LoadPolicyText(std::string_view text, std::string_view display_name,
                          const LoadOptions& options) {
  DiagnosticSink sink(display_name, text);
  if (!LooksLikePolicy(text)) sink.HideSourceLines();
  LoadResult result;
  CheckBudget(text, sink);
  if (sink.empty()) {
    try {
      const YAML::Node root = YAML::Load(std::string(text));
      if (!root.IsMap() && !root.IsNull()) {
        sink.Add(root.Mark(), "", "expected a mapping of keys such as \"version\" and \"jobs\"");
      } else {
        CheckAgainstSchema(root, sink);
        CheckCrossFieldRules(root, sink);
        if (options.check_local_files) CheckLocalFiles(root, sink);
        if (sink.empty()) result.policy = BuildPolicy(root, std::string(display_name));
      }
    } catch (const YAML::Exception& e) {
      // Syntax errors keep yaml-cpp's position; they have no key path.
      sink.Add(e.mark, "", e.msg);
      result.policy.reset();
    }
  }
  result.more = sink.more();
  result.diagnostics = sink.Take();
  return result;
}

LoadResult LoadPolicyFile(const std::string& path, std::string* text_out,
                          const LoadOptions& options) {
  // Checked before opening (a device is never opened), opened non-blocking and checked again
  // (a FIFO renamed over the policy in between must not hang the daemon), and a huge file is
  // never loaded.
  const std::string not_regular =
      "not a regular file (a policy is a file, not a FIFO, a device or a directory)";
  struct stat before {};
  if (stat(path.c_str(), &before) == 0 && !S_ISREG(before.st_mode)) {
    return Failure(path, not_regular);
  }
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Failure(path, std::string("cannot read: ") + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int error = errno;
    close(fd);
    return Failure(
        path, st.st_mode != 0 ? not_regular : std::string("cannot read: ") + std::strerror(error));
  }
  const std::string too_big =
      "larger than " + std::to_string(kMaxPolicyBytes >> 20) + " MiB; no policy is that large";
  if (static_cast<std::size_t>(st.st_size) > kMaxPolicyBytes) {
    close(fd);
    return Failure(path, too_big);
  }
  std::string text;
  int error = 0;
  char buffer[16384];
  // Read one byte past the limit: a file whose size lies (or grows) is refused the same way.
  while (text.size() <= kMaxPolicyBytes) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  if (error != 0) return Failure(path, std::string("cannot read: ") + std::strerror(error));
  if (text.size() > kMaxPolicyBytes) return Failure(path, too_big);
  LoadResult result = LoadPolicyText(text, path, options);
  if (text_out != nullptr) *text_out = std::move(text);
  return result;
}

}  // namespace guestbackup::policy
