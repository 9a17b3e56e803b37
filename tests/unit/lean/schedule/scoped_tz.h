// Sets TZ for the life of a test scope (and tzset()s), putting the old value back after.
#pragma once

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "lean/base/civil_time.h"
#include "support/environment.h"

namespace guestbackup::schedule {

class ScopedTz {
 public:
  explicit ScopedTz(const std::string& zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    testing::SetEnv("TZ", zone);
    ReloadTimeZone();
  }
  ~ScopedTz() {
    if (old_) {
      testing::SetEnv("TZ", *old_);
    } else {
      testing::UnsetEnv("TZ");
    }
    ReloadTimeZone();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace guestbackup::schedule
