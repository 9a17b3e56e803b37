#include "lean/process/tail_buffer.h"

#include <utility>

namespace guestbackup::process {

void TailBuffer::Append(std::string_view chunk) {
  if (chunk.size() >= limit_) {
    truncated_ = truncated_ || !data_.empty() || chunk.size() > limit_;
    data_.assign(chunk.substr(chunk.size() - limit_));
    return;
  }
  data_.append(chunk);
  // Trimming only past twice the limit keeps the cost linear in the bytes appended, even
  // when a child writes one byte at a time.
  if (data_.size() > 2 * limit_) {
    data_.erase(0, data_.size() - limit_);
    truncated_ = true;
  }
}

std::string TailBuffer::Take() {
  if (data_.size() > limit_) {
    data_.erase(0, data_.size() - limit_);
    truncated_ = true;
  }
  return std::exchange(data_, std::string());
}

}  // namespace guestbackup::process
