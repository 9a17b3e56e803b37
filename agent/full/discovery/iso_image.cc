// See iso_image.h.
#include "full/discovery/iso_image.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "lean/base/quoted.h"
#include "lean/platform/bounded_read.h"

namespace guestbackup::discovery {
namespace {

constexpr off_t kSectorSize = 2048;
constexpr off_t kVolumeDescriptorOffset = 16 * kSectorSize;  // sector 16: the primary descriptor
constexpr std::size_t kLabelOffset = 40;
constexpr std::size_t kLabelSize = 32;
// Fields of a primary or supplementary volume descriptor (little-endian halves of ISO 9660's
// both-endian numbers) and of the root directory record inside it.
constexpr std::size_t kVolumeBlocksOffset = 80;
constexpr std::size_t kBlockSizeOffset = 128;
constexpr std::size_t kRootExtentOffset = 156 + 2;
constexpr std::size_t kRootSizeOffset = 156 + 10;
constexpr int kMaxDescriptors = 64;  // far more than any image has before its terminator
constexpr int kMaxLinkHops = 8;

Status OpenError(const std::string& path, int error) {
  const std::string message = path + ": cannot read: " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR || error == ENXIO) return NotFound(message);
  if (error == EACCES || error == EPERM) return PermissionDenied(message);
  return IoError(message);
}

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// One entry of the image, keyed by its path without a trailing "/".
struct Entry {
  enum Kind { kFile, kLink, kDir, kOther } kind = kOther;
  std::string content;  // kFile
  std::string target;   // kLink: the link's text; a hard link: the path it shares data with
  bool hard_link = false;
  bool too_big = false;
  bool unread = false;  // not needed, or the total budget was spent
};

std::string Trimmed(std::string path) {
  while (path.starts_with("./")) path.erase(0, 2);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

// "..data/key" relative to the directory of `from` ("" at the top), with "." and "..", or ""
// when it leaves the image.
std::string ResolveRelative(const std::string& from, const std::string& target) {
  if (target.starts_with("/")) return "";
  std::vector<std::string> parts;
  const std::size_t slash = from.rfind('/');
  std::string joined = (slash == std::string::npos ? "" : from.substr(0, slash + 1)) + target;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

using Entries = std::map<std::string, Entry>;

// Follows symbolic links in every component of `path`, and a hard link at its end, to the
// entry (and its path) that holds the data; nullptr when it does not resolve.
const Entries::value_type* Lookup(const Entries& entries, const std::string& path, int hops = 0) {
  if (hops > kMaxLinkHops) return nullptr;
  std::string resolved;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string candidate =
        (resolved.empty() ? "" : resolved + "/") + path.substr(start, end - start);
    auto it = entries.find(candidate);
    if (it == entries.end()) return nullptr;
    if (it->second.kind == Entry::kLink) {
      std::string target = ResolveRelative(candidate, it->second.target);
      if (target.empty()) return nullptr;
      if (end < path.size()) target += path.substr(end);
      return Lookup(entries, target, hops + 1);
    }
    if (end == path.size()) {
      if (it->second.hard_link) return Lookup(entries, it->second.target, hops + 1);
      return &*it;
    }
    resolved = candidate;
    start = end + 1;
  }
  return nullptr;
}

Status Damaged(const std::string& path, archive* a, const std::string& what) {
  const char* why = archive_error_string(a);
  return InvalidArgument(path + ": damaged ISO 9660 image: " + what + (why ? why : "read error"));
}

// One pass over the image: every entry's kind and links, and the content of the paths in
// `read` (within the limits; the others are marked unread).
Status ReadEntries(archive* a, const std::string& path, const std::set<std::string>& read,
                   const IsoLimits& limits, Entries& entries) {
  archive_entry* header = nullptr;
  std::size_t total = 0;
  std::size_t count = 0;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a, &header)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    if (++count > limits.max_entries) {
      return InvalidArgument(path + ": more than " + std::to_string(limits.max_entries) +
                             " names in the image; a config disk holds a few");
    }
    // No name is given for one libarchive cannot convert (a crafted Joliet name, invalid
    // UTF-16): no wanted name is such a name, nor a link's target.
    const char* pathname = archive_entry_pathname(header);
    if (pathname == nullptr) continue;
    Entry entry;
    const std::string name = Trimmed(pathname);
    if (name.empty()) continue;
    if (const char* hard = archive_entry_hardlink(header); hard != nullptr) {
      entry.kind = Entry::kFile;
      entry.hard_link = true;
      entry.target = Trimmed(hard);
    } else if (archive_entry_filetype(header) == AE_IFLNK) {
      entry.kind = Entry::kLink;
      const char* target = archive_entry_symlink(header);
      entry.target = target != nullptr ? target : "";
    } else if (archive_entry_filetype(header) == AE_IFDIR) {
      entry.kind = Entry::kDir;
    } else if (archive_entry_filetype(header) == AE_IFREG) {
      entry.kind = Entry::kFile;
      const la_int64_t size = archive_entry_size(header);
      if (size < 0 || static_cast<std::size_t>(size) > limits.max_file_bytes) {
        entry.too_big = true;
      } else if (!read.contains(name) ||
                 total + static_cast<std::size_t>(size) > limits.max_total_bytes) {
        entry.unread = true;
      } else {
        total += static_cast<std::size_t>(size);
        entry.content.resize(static_cast<std::size_t>(size));
        const la_ssize_t got = archive_read_data(a, entry.content.data(), entry.content.size());
        if (got < 0 || static_cast<std::size_t>(got) != entry.content.size()) {
          return Damaged(path, a, "cannot read " + EscapeControl(name) + ": ");
        }
      }
    }
    entries[name] = std::move(entry);
  }
  if (r != ARCHIVE_EOF) return Damaged(path, a, "");
  return Status::Ok();
}

// The image's descriptor, opened once: a FIFO given as --config-disk must not block the
// agent, a character device must not be read.
Result<process::UniqueFd> OpenImage(const std::string& path) {
  Result<process::UniqueFd> fd = platform::OpenUntrusted(path, platform::Accept::kImage);
  if (!fd.ok()) return fd.status().WithContext(path);
  return fd;
}

Result<std::string> ReadLabel(int fd, const std::string& path) {
  unsigned char descriptor[kLabelOffset + kLabelSize];
  // A seek and a read rather than pread(2), which the Windows C runtime lacks; the descriptor
  // is this reader's own.
  if (lseek(fd, kVolumeDescriptorOffset, SEEK_SET) != kVolumeDescriptorOffset) {
    return OpenError(path, errno);
  }
  const auto got = read(fd, descriptor, sizeof descriptor);
  if (got < 0) return OpenError(path, errno);
  // Type 1 (primary), then the standard identifier "CD001".
  if (static_cast<std::size_t>(got) < sizeof descriptor || descriptor[0] != 1 ||
      std::memcmp(descriptor + 1, "CD001", 5) != 0) {
    return InvalidArgument(path + ": not an ISO 9660 image (no primary volume descriptor)");
  }
  std::string label(reinterpret_cast<const char*>(descriptor + kLabelOffset), kLabelSize);
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  return label;
}

std::uint64_t LittleEndian(const unsigned char* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

// libarchive reads a volume's root directory into memory whole, as large as the descriptor
// says (up to 4 GiB), before it finds the image shorter; other directories it checks only
// against the volume size the descriptor states. So a descriptor that places its root
// directory or ends its volume past the image's end is refused here, and nothing libarchive
// reads ahead is larger than the image.
Status CheckDescriptors(int fd, const std::string& path) {
  const off_t image_size = lseek(fd, 0, SEEK_END);
  if (image_size < 0) return OpenError(path, errno);
  for (int i = 0; i < kMaxDescriptors; ++i) {
    unsigned char descriptor[kRootSizeOffset + 4];
    const off_t at = kVolumeDescriptorOffset + i * kSectorSize;
    if (lseek(fd, at, SEEK_SET) != at) return OpenError(path, errno);
    const auto got = read(fd, descriptor, sizeof descriptor);
    if (got < 0) return OpenError(path, errno);
    // The set ends with type 255; what is no descriptor at all libarchive refuses itself.
    if (static_cast<std::size_t>(got) < sizeof descriptor ||
        std::memcmp(descriptor + 1, "CD001", 5) != 0 || descriptor[0] == 255) {
      break;
    }
    if (descriptor[0] != 1 && descriptor[0] != 2) continue;  // primary, supplementary (Joliet)
    const std::uint64_t volume_end = LittleEndian(descriptor + kBlockSizeOffset, 2) *
                                     LittleEndian(descriptor + kVolumeBlocksOffset, 4);
    const std::uint64_t root_end =
        LittleEndian(descriptor + kRootExtentOffset, 4) * static_cast<std::uint64_t>(kSectorSize) +
        LittleEndian(descriptor + kRootSizeOffset, 4);
    const auto size = static_cast<std::uint64_t>(image_size);
    if (volume_end > size || root_end > size) {
      return InvalidArgument(path + ": damaged ISO 9660 image: its volume or root directory " +
                             "ends past the image's " + std::to_string(size) + " bytes");
    }
  }
  return Status::Ok();
}

Status ReadPass(int fd, const std::string& path, const std::set<std::string>& read,
                const IsoLimits& limits, Entries& entries) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  if (!a) return Internal("libarchive: out of memory");
  archive_read_support_format_iso9660(a.get());
  // The descriptor checked by OpenImage, never the path again: it cannot be swapped between.
  if (lseek(fd, 0, SEEK_SET) != 0 ||
      archive_read_open_fd(a.get(), fd, std::size_t{64} * 1024) != ARCHIVE_OK) {
    const int error = archive_errno(a.get());
    if (error == EACCES || error == EPERM) return OpenError(path, error);
    return InvalidArgument(path + ": not readable as ISO 9660: " + archive_error_string(a.get()));
  }
  return ReadEntries(a.get(), path, read, limits, entries);
}

}  // namespace

Result<std::string> ReadIsoLabel(const std::string& path) {
  Result<process::UniqueFd> fd = OpenImage(path);
  if (!fd.ok()) return fd.status();
  return ReadLabel(fd->get(), path);
}

Result<IsoImage> ReadIsoImage(const std::string& path, const std::set<std::string>& wanted,
                              const IsoLimits& limits) {
  Result<process::UniqueFd> fd = OpenImage(path);
  if (!fd.ok()) return fd.status();
  IsoImage image;
  auto label = ReadLabel(fd->get(), path);
  if (!label.ok()) return label.status();
  image.label = std::move(label).value();
  GB_RETURN_IF_ERROR(CheckDescriptors(fd->get(), path));

  // Two passes: the first learns the tree (no content), the second reads only the files the
  // wanted names lead to — through symbolic and hard links, whatever the original is named.
  Entries entries;
  GB_RETURN_IF_ERROR(ReadPass(fd->get(), path, {}, limits, entries));
  std::set<std::string> needed;
  for (const std::string& name : wanted) {
    if (const Entries::value_type* target = Lookup(entries, name)) needed.insert(target->first);
  }
  entries.clear();
  GB_RETURN_IF_ERROR(ReadPass(fd->get(), path, needed, limits, entries));

  for (const auto& [name, entry] : entries) {
    if (name.find('/') != std::string::npos || entry.kind == Entry::kDir) continue;
    if (!wanted.contains(name)) {
      image.others.insert(name);
      continue;
    }
    const Entries::value_type* found = Lookup(entries, name);
    const Entry* file = found != nullptr ? &found->second : nullptr;
    if (file != nullptr && file->kind == Entry::kDir) continue;  // "..data" -> "..2024_..."
    if (file == nullptr || file->kind != Entry::kFile) {
      image.skipped[name] = "a link that does not lead to a file in the image";
    } else if (file->too_big) {
      image.skipped[name] = "larger than " + platform::ByteLimitText(limits.max_file_bytes);
    } else if (file->unread) {
      image.skipped[name] =
          "past the " + platform::ByteLimitText(limits.max_total_bytes) + " read in all";
    } else {
      image.files[name] = file->content;
    }
  }
  return image;
}

}  // namespace guestbackup::discovery
