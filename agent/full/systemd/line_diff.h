// A small line diff for showing how a generated file would change (schedule install --dry-run).
#pragma once

#include <string>
#include <vector>

namespace guestbackup::systemd {

// The lines of `after` aligned with those of `before` by their longest common subsequence:
// "-line" only in before, "+line" only in after, " line" in both. Meant for files of at most
// a few hundred lines (quadratic time and memory).
std::vector<std::string> DiffLines(const std::string& before, const std::string& after);

}  // namespace guestbackup::systemd
