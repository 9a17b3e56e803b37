// See log_file.h.
#include "lean/daemon/log_file.h"

#include <system_error>

namespace guestbackup::daemon {

RotatingLogFile::RotatingLogFile(std::filesystem::path path, std::uintmax_t limit_bytes)
    : path_(std::move(path)), limit_(limit_bytes) {
  Open();
}

RotatingLogFile::~RotatingLogFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void RotatingLogFile::Open() {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
#if defined(_WIN32)
  file_ = _wfopen(path_.c_str(), L"ab");
#else
  file_ = std::fopen(path_.c_str(), "ab");
#endif
  const std::uintmax_t size = std::filesystem::file_size(path_, ec);
  size_ = ec ? 0 : size;
}

void RotatingLogFile::Write(std::string_view line) {
  if (file_ != nullptr && size_ > 0 && size_ + line.size() > limit_) {
    // Closed first: Windows renames no open file.
    std::fclose(file_);
    file_ = nullptr;
    std::filesystem::path aside = path_;
    aside += ".1";
    std::error_code ec;
    std::filesystem::rename(path_, aside, ec);
    Open();
  }
  if (file_ == nullptr) return;
  size_ += std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace guestbackup::daemon
