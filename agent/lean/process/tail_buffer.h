// Keeps the last `limit` bytes of a child's output stream: the end of an error message is
// what explains a failure, and memory stays bounded however much the child writes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace guestbackup::process {

class TailBuffer {
 public:
  explicit TailBuffer(std::size_t limit) : limit_(limit) {}

  void Append(std::string_view chunk);
  // True once any byte has been dropped.
  bool truncated() const { return truncated_ || data_.size() > limit_; }
  // Returns the kept tail (at most `limit` bytes) and empties the buffer.
  std::string Take();

 private:
  std::size_t limit_;
  std::string data_;  // may grow to twice limit_ between trims
  bool truncated_ = false;
};

}  // namespace guestbackup::process
