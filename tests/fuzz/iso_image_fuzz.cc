// Fuzzes the ISO 9660 reader (ReadIsoImage, with the names a config disk wants, and
// ReadIsoLabel) on images in a memfd: the reader takes a path, and /proc/self/fd/N names the
// memfd without a file on disk. Small limits, so that fuzzed images reach the size and budget
// checks. Beyond no crash: only wanted names are read or skipped, never both; no file is over
// its limit, nor all over the total; the label is the one ReadIsoLabel reads. The seeds are a
// ConfigMap disk (the kubelet's links), a Secret disk and a ConfigDrive, made by xorrisofs as
// tests/unit/full/discovery/iso_builder.cc makes them, with -no-pad to keep them small.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "full/discovery/iso_image.h"
#include "fuzz_check.h"

namespace discovery = guestbackup::discovery;

namespace {

int image_fd = -1;
std::string image_path;

// The names ReadConfigDisk asks for (full/discovery/config_disk.cc).
const std::set<std::string> kWanted = {"serviceURL", "tlsFingerprint", "ca.crt",
                                       "username",   "hostname",       "password"};
constexpr discovery::IsoLimits kLimits = {
    .max_file_bytes = 64, .max_total_bytes = 100, .max_entries = 200};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  image_fd = memfd_create("iso_image_fuzz", 0);
  if (image_fd < 0) {
    std::perror("memfd_create");
    std::abort();
  }
  image_path = "/proc/self/fd/" + std::to_string(image_fd);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FUZZ_CHECK(ftruncate(image_fd, 0) == 0);
  FUZZ_CHECK(pwrite(image_fd, data, size, 0) == static_cast<ssize_t>(size));

  const auto image = discovery::ReadIsoImage(image_path, kWanted, kLimits);
  if (!image.ok()) return 0;
  std::size_t total = 0;
  for (const auto& [name, content] : image->files) {
    FUZZ_CHECK(kWanted.contains(name));
    FUZZ_CHECK(!image->skipped.contains(name));
    FUZZ_CHECK(content.size() <= kLimits.max_file_bytes);
    total += content.size();
  }
  FUZZ_CHECK(total <= kLimits.max_total_bytes);
  for (const auto& [name, why] : image->skipped) FUZZ_CHECK(kWanted.contains(name));
  for (const std::string& name : image->others) FUZZ_CHECK(!kWanted.contains(name));
  const auto label = discovery::ReadIsoLabel(image_path);
  FUZZ_CHECK(label.ok() && *label == image->label);
  return 0;
}
