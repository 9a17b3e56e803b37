// A temporary directory removed (recursively) when the object goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace guestbackup::testing {

class TempDir {
 public:
  TempDir();  // mkdtemp under $TMPDIR (or /tmp); aborts the test binary on failure
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative (creating parent directories); returns the full path.
  std::string WriteFile(const std::string& relative, const std::string& content,
                        int mode = 0644) const;

 private:
  std::filesystem::path path_;
};

// Returns the contents of a file, or "" when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

// Absolute path of a file under tests/fixtures.
std::string FixturePath(const std::string& relative);

}  // namespace guestbackup::testing
