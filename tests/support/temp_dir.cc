// Temporary directories and files for tests; on Windows (under wine) in the user's temporary
// directory, where modes mean nothing and chmod only sets the read-only attribute.
#include "support/temp_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <system_error>

namespace guestbackup::testing {

#ifdef _WIN32
TempDir::TempDir() {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  std::random_device random;
  for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
    const std::filesystem::path candidate = base / ("guestbackup-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(candidate, ec)) path_ = candidate;
  }
  if (path_.empty()) {
    std::cerr << "cannot create a temporary directory in " << base.string() << "\n";
    std::abort();
  }
}
#else
TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/guestbackup-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "mkdtemp failed for " << tmpl << "\n";
    std::abort();
  }
  path_ = tmpl;
}
#endif

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything removable first: tests create unreadable files on purpose.
  for (auto it = std::filesystem::recursive_directory_iterator(
           path_, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    // chmod follows links: a test's link to /dev/null or /etc/hostname must not change them.
    if (it->is_symlink(ec)) continue;
    chmod(it->path().string().c_str(), it->is_directory(ec) ? 0700 : 0600);
  }
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::WriteFile(const std::string& relative, const std::string& content,
                               int mode) const {
  const std::filesystem::path full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  {
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << content;
  }
  chmod(full.string().c_str(), static_cast<mode_t>(mode));
  return full.string();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string FixturePath(const std::string& relative) {
  return std::string(GUESTBACKUP_FIXTURES_DIR) + "/" + relative;
}

}  // namespace guestbackup::testing
