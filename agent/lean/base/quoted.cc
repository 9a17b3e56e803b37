// See quoted.h.
#include "lean/base/quoted.h"

#include <cstdio>

namespace guestbackup {

std::string EscapeControl(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Quoted(std::string_view value, std::size_t max) {
  if (value.size() <= max) return "\"" + EscapeControl(value) + "\"";
  // Cut at a character boundary: never in the middle of a UTF-8 sequence.
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + EscapeControl(value.substr(0, cut)) + "…\" (" + std::to_string(value.size()) +
         " bytes)";
}

}  // namespace guestbackup
