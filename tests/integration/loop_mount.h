// A real file system for the freeze tests: an ext4 image, loop-mounted on a directory for the
// object's life (thawed and unmounted again at its end). Needs root.
#pragma once

#include <string>
#include <vector>

namespace guestbackup::testing {

// Runs a tool to completion: "" when it succeeded, else what went wrong.
std::string RunTool(const std::vector<std::string>& argv, const std::string& stdin_data = "");

class LoopMount {
 public:
  // Makes `image` (128 MiB, sparse) and mounts it on `dir`; error() says why when it could not.
  LoopMount(std::string image, std::string dir);
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
