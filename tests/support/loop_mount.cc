#include "support/loop_mount.h"

#include <chrono>
#include <filesystem>

#include "lean/process/process.h"

namespace guestbackup::testing {

std::string RunTool(const std::vector<std::string>& argv, const std::string& stdin_data) {
  process::ProcessSpec spec;
  spec.argv = argv;
  spec.stdin_data = stdin_data;
  spec.timeout = std::chrono::seconds(120);
  auto result = process::Run(spec);
  if (!result.ok()) return result.status().ToString();
  return result->Succeeded() ? "" : result->Describe() + ": " + result->stderr_data;
}

LoopMount::LoopMount(std::string image, std::string dir, const std::string& type,
                     const std::string& size)
    : image_(std::move(image)), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  error_ = RunTool({"truncate", "-s", size, image_});
  // Both mkfs take -q (quiet); ext4's -F and xfs's -f overwrite what the image holds.
  if (error_.empty()) error_ = RunTool({"mkfs." + type, "-q", type == "xfs" ? "-f" : "-F", image_});
  if (error_.empty()) error_ = RunTool({"mount", "-o", "loop", image_, dir_});
  mounted_ = error_.empty();
}

LoopMount::~LoopMount() {
  if (!mounted_) return;
  (void)RunTool({"fsfreeze", "-u", dir_});  // only matters after a failure
  (void)RunTool({"umount", dir_});
}

}  // namespace guestbackup::testing
