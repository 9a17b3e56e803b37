// Loading: parse with yaml-cpp (its exceptions stop here), run the checking passes, and build
// the Policy only when nothing was found.
#include "lean/policy/policy_loader.h"

#include <algorithm>
#include <string>

#include "lean/platform/bounded_read.h"
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
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (line.starts_with("version:") || line.starts_with("jobs:")) return true;
    start = end + 1;
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
  // A FIFO renamed over the policy must not hang the daemon, a device must not be read, a huge
  // file must not be loaded: platform::ReadRegularFile refuses all three.
  Result<std::string> text = platform::ReadRegularFile(path, kMaxPolicyBytes);
  if (!text.ok()) {
    std::string message = text.status().message();
    if (message.starts_with("larger than")) message += "; no policy is that large";
    return Failure(path, message);
  }
  LoadResult result = LoadPolicyText(*text, path, options);
  if (text_out != nullptr) *text_out = std::move(*text);
  return result;
}

}  // namespace guestbackup::policy
