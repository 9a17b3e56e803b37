#include "full/discovery/identity.h"

namespace guestbackup::discovery {

std::string KopiaName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool valid =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    out += valid ? c : '-';
  }
  return out;
}

std::optional<Identity> IdentityFromInstanceId(std::string_view instance_id) {
  const std::size_t dot = instance_id.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == instance_id.size()) {
    return std::nullopt;
  }
  return Identity{KopiaName(instance_id.substr(0, dot)), KopiaName(instance_id.substr(dot + 1))};
}

}  // namespace guestbackup::discovery
