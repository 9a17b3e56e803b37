// A real file system for the freeze tests: an image of a given type (ext4, xfs) and size,
// sparse, loop-mounted on a directory for the object's life (thawed and unmounted again at its
// end). Needs root and the type's mkfs. Linux only.
#pragma once

#include <string>
#include <vector>

namespace guestbackup::testing {

// Runs a tool to completion: "" when it succeeded, else what went wrong.
std::string RunTool(const std::vector<std::string>& argv, const std::string& stdin_data = "");

class LoopMount {
 public:
  // Makes `image` (`type`, `size` as truncate takes it) and mounts it on `dir`; error() says
  // why when it could not.
  LoopMount(std::string image, std::string dir, const std::string& type = "ext4",
            const std::string& size = "128M");
  ~LoopMount();
  LoopMount(const LoopMount&) = delete;
  LoopMount& operator=(const LoopMount&) = delete;
  const std::string& error() const { return error_; }

 private:
  std::string image_;
  std::string dir_;
  std::string error_;
  bool mounted_ = false;
};

}  // namespace guestbackup::testing
