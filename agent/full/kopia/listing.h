// Parses `kopia ls -l` output (cli/command_ls.go in v0.23.1: mode, size, local time with
// zone, object id padded to 34 columns, name; directories end in '/'). The agent runs kopia
// with TZ=UTC so times parse unambiguously.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::kopia {

struct DirEntry {
  std::string name;  // without the trailing '/'
  bool is_dir = false;
  std::string mode;  // e.g. "-rw-r--r--"
  std::int64_t size = 0;
  std::int64_t mtime_ms = 0;
  std::string object_id;  // content-derived: equal ids mean equal content
};

Result<std::vector<DirEntry>> ParseLongListing(std::string_view text);

}  // namespace guestbackup::kopia
