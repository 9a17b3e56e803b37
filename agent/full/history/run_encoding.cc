#include "full/history/run_encoding.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace guestbackup::history {
namespace {

using nlohmann::json;

constexpr std::string_view kEllipsis = "...";

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool IsStringField(const json& object, const char* key) {
  if (!object.is_object()) return false;
  const auto it = object.find(key);
  return it != object.end() && it->is_string();
}

Result<json> ParseArray(std::string_view text, std::string_view column) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_array()) {
    return IoError("the " + std::string(column) + " column does not hold a JSON array");
  }
  return value;
}

}  // namespace

std::string OneLine(std::string_view text, std::size_t max_bytes) {
  std::string line;
  line.reserve(std::min(text.size(), max_bytes));
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // "\r\n" is one line break, so it becomes one space.
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    const bool control = static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    line.push_back(control && c != '\t' ? ' ' : c);
  }
  if (line.size() <= max_bytes) return line;
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && IsUtf8Continuation(line[cut])) --cut;
  line.resize(cut);
  if (max_bytes >= kEllipsis.size()) line += kEllipsis;
  return line;
}

std::string EncodeSnapshotIds(const std::vector<std::string>& ids) { return Dump(json(ids)); }

std::string EncodeFileErrors(const std::vector<FileError>& errors) {
  json array = json::array();
  const std::size_t kept = std::min(errors.size(), kMaxFileErrors);
  for (std::size_t i = 0; i < kept; ++i) {
    array.push_back({{"path", errors[i].path}, {"error", OneLine(errors[i].error)}});
  }
  return Dump(array);
}

Result<std::vector<std::string>> DecodeSnapshotIds(std::string_view text) {
  Result<json> array = ParseArray(text, "snapshot_ids");
  if (!array.ok()) return array.status();
  std::vector<std::string> ids;
  for (const json& id : *array) {
    if (!id.is_string()) return IoError("the snapshot_ids column holds a non-string entry");
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

Result<std::vector<FileError>> DecodeFileErrors(std::string_view text) {
  Result<json> array = ParseArray(text, "file_errors");
  if (!array.ok()) return array.status();
  std::vector<FileError> errors;
  for (const json& entry : *array) {
    if (!IsStringField(entry, "path") || !IsStringField(entry, "error")) {
      return IoError("the file_errors column holds an entry without a string path and error");
    }
    errors.push_back({entry["path"].get<std::string>(), entry["error"].get<std::string>()});
  }
  return errors;
}

}  // namespace guestbackup::history
