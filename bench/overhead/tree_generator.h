// Writes a repeatable tree of files for the benchmark: many small files and a few large ones,
// filled with pseudo-random (incompressible) bytes so neither compression nor in-tree dedup
// makes one tree cheaper to back up than another of the same shape.
#pragma once

#include <cstdint>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::bench {

struct TreeShape {
  std::uint64_t files = 20000;
  std::uint64_t total_bytes = 1ULL << 30;
  // Drives the file sizes only; two trees with the same shape have identical size lists.
  std::uint64_t layout_seed = 1;
};

struct TreeStats {
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t bytes = 0;
  std::uint64_t largest_file = 0;
};

// Creates `dir` and fills it with `shape`; `content_seed` picks the bytes, so trees with
// different content seeds share no data. Returns kIo when a file cannot be written.
Result<TreeStats> GenerateTree(const std::string& dir, const TreeShape& shape,
                               std::uint64_t content_seed);

}  // namespace guestbackup::bench
