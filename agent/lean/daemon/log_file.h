// The daemon's log where no service manager keeps its output (the Windows service): each line
// appended and flushed, and the file moved aside to NAME.1 (replacing the one before) once it
// passes a size limit, so the log never grows without bound and the latest two files are kept.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace guestbackup::daemon {

class RotatingLogFile {
 public:
  RotatingLogFile(std::filesystem::path path, std::uintmax_t limit_bytes);
  ~RotatingLogFile();
  RotatingLogFile(const RotatingLogFile&) = delete;
  RotatingLogFile& operator=(const RotatingLogFile&) = delete;

  // Never fails: a line that cannot be written is lost (the logger has nowhere to report it).
  void Write(std::string_view line);

 private:
  void Open();
  std::filesystem::path path_;
  std::uintmax_t limit_;
  std::FILE* file_ = nullptr;
  std::uintmax_t size_ = 0;
};

}  // namespace guestbackup::daemon
