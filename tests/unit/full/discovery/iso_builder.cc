#include "iso_builder.h"

#include <cstdlib>
#include <fstream>

#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"

namespace guestbackup::testing {

namespace fs = std::filesystem;

std::optional<std::string> IsoTool() {
  const char* path = std::getenv("PATH");
  const std::string list = path != nullptr ? path : std::string(process::kDefaultPath);
  for (const char* tool : {"xorrisofs", "genisoimage"}) {
    if (auto found = process::LocateExecutable(tool, list); found.ok()) return *found;
  }
  return std::nullopt;
}

void WriteConfigMapVolume(const fs::path& dir, const std::map<std::string, std::string>& files) {
  const std::string data_dir = "..2026_11_24_08_00_00.123456789";
  fs::create_directories(dir / data_dir);
  for (const auto& [name, content] : files) {
    std::ofstream(dir / data_dir / name, std::ios::binary) << content;
    fs::create_symlink("..data/" + name, dir / name);
  }
  fs::create_directory_symlink(data_dir, dir / "..data");
}

Status BuildIsoFromDir(const fs::path& dir, const std::string& iso, const std::string& label,
                       bool follow_links) {
  std::optional<std::string> tool = IsoTool();
  if (!tool) return NotFound("no ISO tool");
  process::ProcessSpec spec;
  spec.argv = {*tool, "-output", iso, "-volid", label, "-joliet", "-rock", "-graft-points"};
  if (follow_links) spec.argv.push_back("-follow-links");
  if (tool->ends_with("xorrisofs"))
    spec.argv.insert(spec.argv.end(), {"-partition_cyl_align", "on"});
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    spec.argv.push_back(name + "=" + entry.path().string());
  }
  spec.timeout = std::chrono::seconds(60);
  auto result = process::Run(spec);
  if (!result.ok()) return result.status();
  if (!result->Succeeded()) {
    return Failed(*tool + " failed: " + result->Describe() + ": " + result->stderr_data);
  }
  return Status::Ok();
}

Result<std::string> BuildConfigIso(const std::string& iso,
                                   const std::map<std::string, std::string>& files,
                                   const std::string& label) {
  const fs::path dir = iso + ".d";
  WriteConfigMapVolume(dir, files);
  GB_RETURN_IF_ERROR(BuildIsoFromDir(dir, iso, label));
  return iso;
}

}  // namespace guestbackup::testing
