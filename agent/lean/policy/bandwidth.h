// Bandwidth limits in the policy file: rates ("20MiB/s", "100Mbit/s", "unlimited") and the
// weekly windows that change them ("Mon..Fri 08:00-18:00"). kopia cannot limit a client that
// talks to a repository server, so the agent relays that traffic itself (full/bandwidth).
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::policy {

// Bytes per second; kUnlimited is no limit.
using ByteRate = std::uint64_t;
inline constexpr ByteRate kUnlimited = 0;

// Why a rate or a window was refused; `offset` is the 0-based index of the character meant.
struct BandwidthTextError {
  std::string message;
  int offset = 0;
};

// "20MiB/s", "1.5 GB/s", "100Mbit/s", "unlimited". Units: B, kB/KB, MB, GB (powers of 1000),
// KiB, MiB, GiB (powers of 1024), kbit, Mbit, Gbit (bits, powers of 1000); always "/s".
std::optional<ByteRate> ParseByteRate(std::string_view text, BandwidthTextError* error = nullptr);

// The shortest exact spelling ParseByteRate reads back: 20971520 -> "20MiB/s", 0 -> "unlimited".
std::string FormatByteRate(ByteRate rate);

// A span of every week: days as in a calendar expression ("Mon..Fri", "Sat,Sun"; all days when
// left out) and an optional time of day "HH:MM-HH:MM" (the whole day when left out). A span
// that ends at or before its start runs past midnight: "Fri 22:00-06:00" is Friday 22:00 to
// Saturday 06:00.
struct WeeklyWindow {
  std::uint8_t weekdays = 0x7f;  // bit 0 = Monday ... bit 6 = Sunday
  int start_minute = 0;          // 0 .. 1439
  int end_minute = 24 * 60;      // 1 .. 1440

  // `weekday`: 0 = Monday; `minute`: of the day, 0 .. 1439.
  bool Contains(int weekday, int minute) const;
  bool operator==(const WeeklyWindow&) const = default;
};

std::optional<WeeklyWindow> ParseWeeklyWindow(std::string_view text,
                                              BandwidthTextError* error = nullptr);

// One `bandwidth.windows[]` item: its rates while it holds; a direction it leaves out keeps the
// base rate.
struct BandwidthWindowSpec {
  std::string when;  // as written, e.g. "Mon..Fri 08:00-18:00"
  WeeklyWindow window;
  std::optional<ByteRate> upload;
  std::optional<ByteRate> download;

  bool operator==(const BandwidthWindowSpec&) const = default;
};

struct ByteRates {
  ByteRate upload = kUnlimited;
  ByteRate download = kUnlimited;

  bool operator==(const ByteRates&) const = default;
};

// `bandwidth`: the limits of all traffic between the agent and the server.
struct BandwidthSpec {
  ByteRate upload = kUnlimited;              // agent -> server (a backup's data)
  ByteRate download = kUnlimited;            // server -> agent (a restore's data)
  std::vector<BandwidthWindowSpec> windows;  // the first that holds wins

  // True when no rate is set anywhere, so there is nothing to relay.
  bool Unlimited() const;
  // The rates at a local time (a LocalTm result).
  ByteRates RatesAt(const std::tm& local) const;
  bool operator==(const BandwidthSpec&) const = default;
};

}  // namespace guestbackup::policy
