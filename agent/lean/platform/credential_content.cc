// See credential_content.h.
#include "lean/platform/credential_content.h"

#include "lean/platform/bounded_read.h"

namespace guestbackup::platform {

Result<std::string> ReadCredentialContent(const std::string& path, int fd) {
  // A size the file system reports is only a first check: a /proc file reports 0 and reads
  // without end.
  Result<std::string> read = ReadAtMost(fd, kMaxCredentialBytes);
  if (!read.ok() && read.status().code() == StatusCode::kInvalidArgument) {
    return InvalidArgument("credential file " + path + " is " + read.status().message());
  }
  if (!read.ok()) return read.status().WithContext("credential file " + path);
  std::string content = std::move(*read);
  if (!content.empty() && content.back() == '\n') {
    content.pop_back();
    if (!content.empty() && content.back() == '\r') content.pop_back();
  }
  if (content.empty()) return InvalidArgument("credential file " + path + " is empty");
  return content;
}

}  // namespace guestbackup::platform
