#include "tree_generator.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

namespace guestbackup::bench {
namespace {

constexpr std::uint64_t kFilesPerDirectory = 100;
constexpr std::size_t kWriteChunk = 1 << 20;
// File sizes are log-uniform over this spread of weights: mostly small files, with the
// largest about eight times the mean size.
constexpr double kSizeSpread = 4096.0;

// splitmix64: tiny, fast and good enough for filler bytes and size draws.
class Prng {
 public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// Sizes that add up to exactly shape.total_bytes.
std::vector<std::uint64_t> FileSizes(const TreeShape& shape) {
  Prng prng(shape.layout_seed);
  std::vector<double> weights(shape.files);
  double sum = 0;
  for (double& w : weights) {
    w = std::exp(prng.Unit() * std::log(kSizeSpread));
    sum += w;
  }
  std::vector<std::uint64_t> sizes(shape.files);
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    sizes[i] =
        static_cast<std::uint64_t>(weights[i] / sum * static_cast<double>(shape.total_bytes));
    assigned += sizes[i];
  }
  if (!sizes.empty() && assigned < shape.total_bytes) sizes.back() += shape.total_bytes - assigned;
  return sizes;
}

Status WriteFile(const std::string& path, std::uint64_t size, Prng& prng,
                 std::vector<std::uint64_t>& buffer) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create " + path + ": " + std::strerror(errno));
  std::uint64_t left = size;
  while (left > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kWriteChunk));
    const std::size_t words = (n + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);
    for (std::size_t i = 0; i < words; ++i) buffer[i] = prng.Next();
    const char* data = reinterpret_cast<const char*>(buffer.data());
    std::size_t done = 0;
    while (done < n) {
      const ssize_t w = write(fd, data + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        const std::string why = std::strerror(errno);
        close(fd);
        return IoError("cannot write " + path + ": " + why);
      }
      done += static_cast<std::size_t>(w);
    }
    left -= n;
  }
  if (close(fd) != 0) return IoError("cannot close " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<TreeStats> GenerateTree(const std::string& dir, const TreeShape& shape,
                               std::uint64_t content_seed) {
  namespace fs = std::filesystem;
  Prng content(content_seed);
  std::vector<std::uint64_t> buffer(kWriteChunk / sizeof(std::uint64_t));
  const std::vector<std::uint64_t> sizes = FileSizes(shape);
  TreeStats stats;
  std::string subdir;
  for (std::uint64_t i = 0; i < sizes.size(); ++i) {
    if (i % kFilesPerDirectory == 0) {
      char name[32];
      std::snprintf(name, sizeof(name), "/d%05llu",
                    static_cast<unsigned long long>(i / kFilesPerDirectory));
      subdir = dir + name;
      std::error_code ec;
      fs::create_directories(subdir, ec);
      if (ec) return IoError("cannot create " + subdir + ": " + ec.message());
      ++stats.directories;
    }
    char name[32];
    std::snprintf(name, sizeof(name), "/f%06llu.bin", static_cast<unsigned long long>(i));
    GB_RETURN_IF_ERROR(WriteFile(subdir + name, sizes[i], content, buffer));
    ++stats.files;
    stats.bytes += sizes[i];
    stats.largest_file = std::max(stats.largest_file, sizes[i]);
  }
  return stats;
}

}  // namespace guestbackup::bench
