// Fuzzes cloud-init's instance data parsing: each input both as instance-data.json
// (ParseInstanceData) and as a ConfigDrive's meta_data.json (ParseConfigDriveMetadata).
// Beyond no crash: the report is named as asked and read or failed, never absent; and a
// password is never taken inline, since every user of the guest can read this data.
#include <cstddef>
#include <cstdint>
#include <string>

#include "full/discovery/cloud_init.h"
#include "fuzz_check.h"

namespace discovery = guestbackup::discovery;

namespace {

void Check(const discovery::SourceReport& report, const std::string& name) {
  FUZZ_CHECK(report.name == name);
  FUZZ_CHECK(report.state != discovery::SourceState::kAbsent);
  const auto& password = report[discovery::Item::kPassword];
  FUZZ_CHECK(!password || password->form != discovery::Form::kInline);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Check(discovery::ParseInstanceData(text, "instance data"), "instance data");
  Check(discovery::ParseConfigDriveMetadata(text, "meta_data.json"), "meta_data.json");
  return 0;
}
