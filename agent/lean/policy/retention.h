// How many snapshots kopia keeps: the one retention type from the policy file to the kopia
// adapter, and the one table of its six fields (policy key, kopia flag, description), which
// the schema, the builder and the adapter all iterate.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace guestbackup::policy {

struct RetentionSpec {
  // Each unset field means "inherit kopia's value".
  std::optional<int> keep_latest;
  std::optional<int> keep_hourly;
  std::optional<int> keep_daily;
  std::optional<int> keep_weekly;
  std::optional<int> keep_monthly;
  std::optional<int> keep_annual;

  bool operator==(const RetentionSpec&) const = default;
};

struct RetentionField {
  std::string_view key;         // in the policy file: "keep_latest"
  std::string_view kopia_flag;  // of `kopia policy set`: "--keep-latest"
  std::optional<int> RetentionSpec::*member;
  std::string_view description;
};

// The six fields, in kopia's order (which is also the order of SourcePolicy's digest).
inline constexpr std::array<RetentionField, 6> kRetentionFields = {{
    {"keep_latest", "--keep-latest", &RetentionSpec::keep_latest,
     "Number of most recent snapshots to keep."},
    {"keep_hourly", "--keep-hourly", &RetentionSpec::keep_hourly,
     "Number of hours for which the newest snapshot of the hour is kept."},
    {"keep_daily", "--keep-daily", &RetentionSpec::keep_daily,
     "Number of days for which the newest snapshot of the day is kept."},
    {"keep_weekly", "--keep-weekly", &RetentionSpec::keep_weekly,
     "Number of weeks for which the newest snapshot of the week is kept."},
    {"keep_monthly", "--keep-monthly", &RetentionSpec::keep_monthly,
     "Number of months for which the newest snapshot of the month is kept."},
    {"keep_annual", "--keep-annual", &RetentionSpec::keep_annual,
     "Number of years for which the newest snapshot of the year is kept."},
}};

}  // namespace guestbackup::policy
