#include "full/kopia/listing.h"

#include <charconv>
#include <cstdio>
#include <regex>
#include <string>

#include "lean/base/time_format.h"

namespace guestbackup::kopia {

namespace {

constexpr std::size_t kLongestLine = std::size_t{16} * 1024;

}  // namespace

Result<std::vector<DirEntry>> ParseLongListing(std::string_view text) {
  // mode, size, "YYYY-MM-DD HH:MM:SS ZONE", object id, then the name starting one column
  // after the id's 34-character field.
  static const std::regex kLine(
      R"(^(\S+)\s+(\d+) (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC ([0-9a-zA-Z]+)( +)(.*)$)");
  std::vector<DirEntry> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string line(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) continue;
    // A name is at most a few hundred bytes; std::regex recurses once per character, so a
    // much longer line is refused before it could exhaust the stack.
    std::smatch m;
    std::int64_t size = 0;
    if (line.size() > kLongestLine || !std::regex_match(line, m, kLine) ||
        std::from_chars(line.data() + m.position(2), line.data() + m.position(2) + m.length(2),
                        size)
                .ec != std::errc()) {
      return Failed("unexpected line in kopia ls output: \"" + line.substr(0, 200) + "\"");
    }
    DirEntry e;
    e.mode = m[1].str();
    e.size = size;
    auto t = ParseRfc3339(m[3].str() + "T" + m[4].str() + "Z");
    e.mtime_ms = t.ok() ? *t : 0;
    e.object_id = m[5].str();
    // The id is left-aligned in 34 columns followed by one space; anything beyond that
    // padding belongs to the name.
    const std::size_t pad = m[6].length();
    const std::size_t expected_pad = e.object_id.size() < 34 ? 34 - e.object_id.size() + 1 : 1;
    std::string name =
        (pad > expected_pad ? std::string(pad - expected_pad, ' ') : "") + m[7].str();
    if (!name.empty() && name.back() == '/') {
      e.is_dir = true;
      name.pop_back();
    }
    e.name = std::move(name);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace guestbackup::kopia
