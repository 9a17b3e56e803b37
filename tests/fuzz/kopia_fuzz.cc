// Fuzzes the parsers of kopia's output, each on every input (the corpus mixes the formats):
// a snapshot manifest and a list of them (JSON), `kopia ls -l`, and stderr split into lines
// (LineSplitter, fed in two chunks) with each line read as snapshot and as restore progress.
// Beyond no crash: a manifest that parses also parses as the one element of a list, with the
// same id; the line splitter hands on no line breaks and no blank lines; a byte size is -1 (not
// a size) or not negative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "full/kopia/listing.h"
#include "full/kopia/manifest.h"
#include "full/kopia/progress.h"
#include "fuzz_check.h"

namespace kopia = guestbackup::kopia;

namespace {

void ParseManifests(std::string_view text) {
  const auto manifest = kopia::ParseManifest(text);
  if (manifest.ok()) {
    FUZZ_CHECK(!manifest->id.empty());
    const auto list = kopia::ParseManifestList("[" + std::string(text) + "]");
    FUZZ_CHECK(list.ok() && list->size() == 1 && (*list)[0].id == manifest->id);
  }
  (void)kopia::ParseManifestList(text);
}

void ParseProgress(std::string_view text) {
  kopia::LineSplitter splitter([](std::string_view line) {
    FUZZ_CHECK(line.find_first_of("\r\n") == std::string_view::npos);
    FUZZ_CHECK(line.find_first_not_of(" \t") != std::string_view::npos);
    FUZZ_CHECK(kopia::ParseByteSize(line) >= -1);
    (void)kopia::ParseProgressLine(line);
    (void)kopia::ParseRestoreProgressLine(line);
  });
  splitter.Feed(text.substr(0, text.size() / 2));
  splitter.Feed(text.substr(text.size() / 2));
  splitter.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseManifests(text);
  (void)kopia::ParseLongListing(text);
  ParseProgress(text);
  return 0;
}
