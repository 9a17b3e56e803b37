#include "full/discovery/iso_image.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace guestbackup::discovery {
namespace {

constexpr off_t kVolumeDescriptorOffset = off_t{16} * 2048;  // sector 16: the primary descriptor
constexpr std::size_t kLabelOffset = 40;
constexpr std::size_t kLabelSize = 32;
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

// Follows symbolic links in every component of `path`; nullptr when it does not resolve.
const Entry* Lookup(const std::map<std::string, Entry>& entries, const std::string& path,
                    int hops = 0) {
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
      return &it->second;
    }
    resolved = candidate;
    start = end + 1;
  }
  return nullptr;
}

Status ReadEntries(archive* a, const std::string& path, std::size_t max_file_bytes,
                   std::map<std::string, Entry>& entries) {
  archive_entry* header = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a, &header)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    Entry entry;
    const std::string name = Trimmed(archive_entry_pathname(header));
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
      if (size < 0 || static_cast<std::size_t>(size) > max_file_bytes) {
        entry.too_big = true;
      } else {
        entry.content.resize(static_cast<std::size_t>(size));
        const la_ssize_t got = archive_read_data(a, entry.content.data(), entry.content.size());
        if (got < 0 || static_cast<std::size_t>(got) != entry.content.size()) {
          std::string message = path;
          message.append(": damaged ISO 9660 image: cannot read ").append(name).append(": ");
          message.append(archive_error_string(a));
          return InvalidArgument(message);
        }
      }
    }
    entries[name] = std::move(entry);
  }
  if (r != ARCHIVE_EOF) {
    const char* why = archive_error_string(a);
    return InvalidArgument(path + ": damaged ISO 9660 image: " + (why ? why : "read error"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadIsoLabel(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OpenError(path, errno);
  unsigned char descriptor[kLabelOffset + kLabelSize];
  const ssize_t got = pread(fd, descriptor, sizeof descriptor, kVolumeDescriptorOffset);
  const int error = errno;
  close(fd);
  if (got < 0) return OpenError(path, error);
  // Type 1 (primary), then the standard identifier "CD001".
  if (static_cast<std::size_t>(got) < sizeof descriptor || descriptor[0] != 1 ||
      std::memcmp(descriptor + 1, "CD001", 5) != 0) {
    return InvalidArgument(path + ": not an ISO 9660 image (no primary volume descriptor)");
  }
  std::string label(reinterpret_cast<const char*>(descriptor + kLabelOffset), kLabelSize);
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  return label;
}

Result<IsoImage> ReadIsoImage(const std::string& path, std::size_t max_file_bytes) {
  IsoImage image;
  auto label = ReadIsoLabel(path);
  if (!label.ok()) return label.status();
  image.label = std::move(label).value();

  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  if (!a) return Internal("libarchive: out of memory");
  archive_read_support_format_iso9660(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), std::size_t{64} * 1024) != ARCHIVE_OK) {
    const int error = archive_errno(a.get());
    if (error == ENOENT || error == EACCES || error == EPERM) return OpenError(path, error);
    return InvalidArgument(path + ": not readable as ISO 9660: " + archive_error_string(a.get()));
  }
  std::map<std::string, Entry> entries;
  GB_RETURN_IF_ERROR(ReadEntries(a.get(), path, max_file_bytes, entries));

  for (const auto& [name, entry] : entries) {
    if (name.find('/') != std::string::npos || entry.kind == Entry::kDir) continue;
    const Entry* file = Lookup(entries, name);
    if (file != nullptr && file->kind == Entry::kDir) continue;  // "..data" -> "..2024_..."
    if (file == nullptr || file->kind != Entry::kFile) {
      image.skipped[name] = "a link that does not lead to a file in the image";
    } else if (file->too_big) {
      image.skipped[name] = "larger than " + std::to_string(max_file_bytes) + " bytes";
    } else {
      image.files[name] = file->content;
    }
  }
  return image;
}

}  // namespace guestbackup::discovery
