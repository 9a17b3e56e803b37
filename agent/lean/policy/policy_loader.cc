// Loading: parse with yaml-cpp (its exceptions stop here), run the checking passes, and build
// the Policy only when nothing was found.
#include "lean/policy/policy_loader.h"

#include <fcntl.h>
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

LoadResult LoadPolicyText(std::string_view text, std::string_view display_name,
                          const LoadOptions& options) {
  DiagnosticSink sink(display_name, text);
  LoadResult result;
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
  result.diagnostics = sink.Take();
  return result;
}

LoadResult LoadPolicyFile(const std::string& path, std::string* text_out,
                          const LoadOptions& options) {
  std::string text;
  int error = 0;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
  } else {
    char buffer[16384];
    for (;;) {
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = errno;
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
  }
  if (error != 0) {
    LoadResult result;
    result.diagnostics.push_back(
        {path, 0, 0, "", std::string("cannot read: ") + std::strerror(error), ""});
    return result;
  }
  LoadResult result = LoadPolicyText(text, path, options);
  if (text_out != nullptr) *text_out = std::move(text);
  return result;
}

}  // namespace guestbackup::policy
