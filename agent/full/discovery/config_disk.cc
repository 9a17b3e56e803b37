// See config_disk.h: reading a config disk, the same on every system; finding one and judging
// who can read it are in config_disk_linux.cc and config_disk_win32.cc.
#include "full/discovery/config_disk.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <set>

#include "full/discovery/config_disk_devices.h"
#include "full/discovery/iso_image.h"
#include "lean/base/quoted.h"
#include "lean/base/secret_masker.h"
#include "lean/policy/server_values.h"
#include "lean/policy/suggest.h"

namespace guestbackup::discovery {

std::string TrimSpace(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

namespace {

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

void TakeText(SourceReport& report, const IsoImage& image, const char* key, Item item,
              std::string_view policy_key) {
  auto it = image.files.find(key);
  if (it == image.files.end()) return;
  std::string value = TrimSpace(it->second);
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
