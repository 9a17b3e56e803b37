#include "full/discovery/candidates.h"

namespace guestbackup::discovery {

std::string_view ItemName(Item item) {
  switch (item) {
    case Item::kUrl:
      return "url";
    case Item::kFingerprint:
      return "fingerprint";
    case Item::kCa:
      return "ca";
    case Item::kUsername:
      return "username";
    case Item::kHostname:
      return "hostname";
    case Item::kPassword:
      return "password";
  }
  return "?";
}

void SourceReport::Set(Item item, std::string value, std::string key, Form form,
                       std::string detail) {
  Candidate c;
  c.value = std::move(value);
  c.form = form;
  c.key = std::move(key);
  c.detail = std::move(detail);
  (*this)[item] = std::move(c);
}

void SourceReport::Refuse(Item item, std::string key, std::string problem) {
  Candidate c;
  c.key = std::move(key);
  c.problem = std::move(problem);
  (*this)[item] = std::move(c);
}

std::string FormatProblem(const SourceReport& source, const Candidate& candidate) {
  return source.name + ": " + (candidate.key.empty() ? "" : candidate.key + ": ") +
         candidate.problem;
}

}  // namespace guestbackup::discovery
