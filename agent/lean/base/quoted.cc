// See quoted.h.
#include "lean/base/quoted.h"

#include <cstdio>

namespace guestbackup {

namespace {

void AppendEscaped(std::string& out, unsigned char byte) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
  out += escaped;
}

// Length of the well-formed UTF-8 sequence at the start of `s`, 0 when there is none.
std::size_t Utf8Length(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t n = 0;
  unsigned min = 0;
  unsigned code = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, min = 0x80, code = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, min = 0x800, code = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, min = 0x10000, code = b0 & 0x07u;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  if (code >= 0x80 && code <= 0x9F) return 0;  // C1 controls: a terminal may obey them
  return n;
}

}  // namespace

std::string EscapeControl(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out.push_back(value[i++]);
    } else if (const std::size_t n = byte >= 0x80 ? Utf8Length(value.substr(i)) : 0; n > 0) {
      out.append(value.substr(i, n));
      i += n;
    } else {
      AppendEscaped(out, byte);  // a control character or a byte of no UTF-8 character
      ++i;
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
