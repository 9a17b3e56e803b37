// "Did you mean" suggestions for misspelt keys and values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::policy {

// Levenshtein distance (insertions, deletions, substitutions each cost 1).
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo (one edit for
// short words, up to three for long ones); nullopt otherwise. Ties go to the earlier candidate.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace guestbackup::policy
