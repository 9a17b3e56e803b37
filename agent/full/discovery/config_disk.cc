#include "full/discovery/config_disk.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "full/discovery/iso_image.h"
#include "lean/base/quoted.h"
#include "lean/base/secret_masker.h"
#include "lean/policy/server_values.h"
#include "lean/policy/suggest.h"

namespace guestbackup::discovery {
namespace {

namespace fs = std::filesystem;

std::string Trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// by-id names as udev makes them: "virtio-<serial>", "scsi-0QEMU_QEMU_HARDDISK_<serial>",
// "ata-QEMU_HARDDISK_<serial>". Partition links end in "-partN" and never match.
bool ByIdNameHasSerial(const std::string& name, const std::string& serial) {
  if (name.size() <= serial.size() || !name.ends_with(serial)) return false;
  const char before = name[name.size() - serial.size() - 1];
  return before == '-' || before == '_';
}

std::string ReadSmallFile(const fs::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return Trim(text);
}

// Number of PEM certificates in `pem` (0 when none parses).
int CountCertificates(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return 0;
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++count;
  }
  ERR_clear_error();  // the read that ends the loop leaves "no start line" behind
  return count;
}

// A password on a disk is as secret as a credential file: refuse it when other users can read
// the image (an ISO file must be 0600 like a credential file; a block device not world-readable).
std::string PasswordExposure(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "";
  if (S_ISBLK(st.st_mode)) {
    if ((st.st_mode & S_IROTH) != 0) {
      return "refused: the device is readable by every user (chmod o-r " + path + ")";
    }
    return "";
  }
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return "refused: the image is owned by uid " + std::to_string(st.st_uid) +
           "; it must be owned by root or by the user running guestbackup";
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("refused: the image has mode ") + mode +
           "; it must be 0600 or stricter (chmod 600 " + path + ")";
  }
  return "";
}

void TakeText(SourceReport& report, const IsoImage& image, const char* key, Item item,
              std::string_view policy_key) {
  auto it = image.files.find(key);
  if (it == image.files.end()) return;
  std::string value = Trim(it->second);
  if (std::optional<std::string> problem = policy::CheckServerValue(policy_key, value)) {
    report.Refuse(item, key, *problem);
    return;
  }
  if (item == Item::kFingerprint) value = policy::NormalizeServerFingerprint(value);
  report.Set(item, std::move(value), key);
}

void TakeCa(SourceReport& report, const IsoImage& image) {
  auto it = image.files.find(kKeyCa);
  if (it == image.files.end()) return;
  const int certificates = CountCertificates(it->second);
  if (certificates == 0) {
    report.Refuse(Item::kCa, kKeyCa, "no PEM certificate in it");
    return;
  }
  report.Set(Item::kCa, it->second, kKeyCa, Form::kInline,
             std::to_string(certificates) + (certificates == 1 ? " certificate" : " certificates"));
}

void TakePassword(SourceReport& report, const IsoImage& image, const std::string& path) {
  auto it = image.files.find(kKeyPassword);
  if (it == image.files.end()) return;
  std::string secret = it->second;
  if (secret.ends_with("\n")) secret.pop_back();  // as a credential file: one newline
  if (secret.ends_with("\r")) secret.pop_back();
  RegisterSecret(secret);
  if (secret.empty()) {
    report.Refuse(Item::kPassword, kKeyPassword, "is empty");
  } else if (std::string exposure = PasswordExposure(path); !exposure.empty()) {
    report.Refuse(Item::kPassword, kKeyPassword, exposure);
  } else {
    report.Set(Item::kPassword, std::move(secret), kKeyPassword, Form::kInline);
  }
}

}  // namespace

FoundDisks FindDisksBySerial(const SourcePaths& paths, const std::string& serial) {
  FoundDisks found;
  found.searched = paths.by_id_dir + " and " + paths.sys_block_dir + "/*/serial";
  std::set<std::string> seen;  // canonical paths
  auto add = [&](const fs::path& device) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(device, ec);
    const std::string key = ec ? device.string() : canonical.string();
    if (seen.insert(key).second) found.devices.push_back(key);
  };
  std::error_code ec;
  std::vector<fs::path> by_id;
  for (const auto& entry : fs::directory_iterator(paths.by_id_dir, ec)) {
    if (ByIdNameHasSerial(entry.path().filename().string(), serial)) by_id.push_back(entry.path());
  }
  std::sort(by_id.begin(), by_id.end());
  for (const fs::path& p : by_id) add(p);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(paths.sys_block_dir, ec)) {
    if (ReadSmallFile(entry.path() / "serial") == serial) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) add(fs::path(paths.dev_dir) / name);
  return found;
}

SourceReport ReadConfigDisk(const std::string& path, const std::string& name) {
  SourceReport report;
  report.name = name;
  const std::set<std::string> wanted = {kKeyUrl,      kKeyFingerprint, kKeyCa,
                                        kKeyUsername, kKeyHostname,    kKeyPassword};
  auto image = ReadIsoImage(path, wanted);
  if (!image.ok()) {
    report.state = SourceState::kFailed;
    report.summary = image.status().message();
    return report;
  }
  std::string label = image->label;
  std::transform(label.begin(), label.end(), label.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  if (label != kConfigDiskLabel) {
    report.state = SourceState::kFailed;
    report.summary = "volume label is " + Quoted(image->label) + ", expected " +
                     Quoted(kConfigDiskLabel) + " (a KubeVirt ConfigMap or Secret disk)";
    return report;
  }
  report.state = SourceState::kRead;
  TakeText(report, *image, kKeyUrl, Item::kUrl, "url");
  TakeText(report, *image, kKeyFingerprint, Item::kFingerprint, "fingerprint");
  TakeCa(report, *image);
  TakeText(report, *image, kKeyUsername, Item::kUsername, "username");
  TakeText(report, *image, kKeyHostname, Item::kHostname, "hostname");
  TakePassword(report, *image, path);

  const std::vector<std::string> known = {kKeyUrl,      kKeyFingerprint, kKeyCa,
                                          kKeyUsername, kKeyHostname,    kKeyPassword};
  const std::array<Item, 6> items = {Item::kUrl,      Item::kFingerprint, Item::kCa,
                                     Item::kUsername, Item::kHostname,    Item::kPassword};
  for (const auto& [file, why] : image->skipped) {
    auto it = std::find(known.begin(), known.end(), file);
    if (it != known.end()) report.Refuse(items[it - known.begin()], file, "not read: " + why);
  }
  std::string keys;
  for (const auto& [file, content] : image->files) keys += (keys.empty() ? "" : ", ") + file;
  for (const std::string& file : image->others) {
    if (std::optional<std::string> close = policy::ClosestMatch(file, known)) {
      report.notes.push_back(EscapeControl(file) + ": not a key guestbackup reads; did you mean " +
                             Quoted(*close) + "?");
    }
  }
  report.summary =
      "label " + EscapeControl(image->label) + "; keys: " + (keys.empty() ? "none" : keys);
  return report;
}

std::vector<SourceReport> ReadConfigDisks(const SourcePaths& paths) {
  std::vector<SourceReport> reports;
  if (!paths.config_disks.empty()) {
    for (const std::string& disk : paths.config_disks) {
      reports.push_back(ReadConfigDisk(disk, "config disk " + disk));
    }
    return reports;
  }
  std::string searched;
  for (const char* serial : {kConfigDiskSerial, kSecretDiskSerial}) {
    const FoundDisks found = FindDisksBySerial(paths, serial);
    searched = found.searched;
    if (found.devices.size() > 1) {
      SourceReport report;
      report.name = std::string("config disk (serial ") + serial + ")";
      report.state = SourceState::kFailed;
      report.summary = std::to_string(found.devices.size()) + " disks have serial " + serial + ":";
      for (const std::string& d : found.devices) report.summary += " " + d;
      reports.push_back(std::move(report));
    } else if (found.devices.size() == 1) {
      reports.push_back(ReadConfigDisk(found.devices[0], "config disk " + found.devices[0]));
    }
  }
  if (reports.empty()) {
    SourceReport report;
    report.name = "config disk";
    report.summary = std::string("no disk with serial ") + kConfigDiskSerial + " or " +
                     kSecretDiskSerial + " (looked in " + searched + ")";
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace guestbackup::discovery
