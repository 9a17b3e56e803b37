// How run fields are stored: status names, the JSON columns (snapshot ids, file errors) and
// the limits that keep one run row small (100 file errors, a one-line message of 2000 bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "full/history/history.h"
#include "lean/base/status.h"

namespace guestbackup::history {

inline constexpr std::size_t kMaxFileErrors = 100;
inline constexpr std::size_t kMaxMessageBytes = 2000;

// Makes `text` one line (each line break or other control character becomes a space) of at
// most `max_bytes` bytes, cut on a UTF-8 character boundary and ending in "..." when cut.
std::string OneLine(std::string_view text, std::size_t max_bytes = kMaxMessageBytes);

// JSON arrays as stored in the snapshot_ids and file_errors columns. Bytes that are not valid
// UTF-8 (possible in file names) are replaced, never rejected. EncodeFileErrors keeps the first
// kMaxFileErrors entries and makes each error message one line.
std::string EncodeSnapshotIds(const std::vector<std::string>& ids);
std::string EncodeFileErrors(const std::vector<FileError>& errors);

// Fail with kIo when the column does not hold the expected JSON shape.
Result<std::vector<std::string>> DecodeSnapshotIds(std::string_view text);
Result<std::vector<FileError>> DecodeFileErrors(std::string_view text);

}  // namespace guestbackup::history
