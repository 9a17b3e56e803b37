// Setting and removing environment variables in tests, on Linux and on Windows (whose C
// runtime has _putenv_s instead of setenv/unsetenv; an empty value removes a variable there).
#pragma once

#include <cstdlib>
#include <string>

namespace guestbackup::testing {

inline void SetEnv(const std::string& name, const std::string& value) {
#ifdef _WIN32
  _putenv_s(name.c_str(), value.c_str());
#else
  setenv(name.c_str(), value.c_str(), 1);
#endif
}

inline void UnsetEnv(const std::string& name) {
#ifdef _WIN32
  _putenv_s(name.c_str(), "");
#else
  unsetenv(name.c_str());
#endif
}

}  // namespace guestbackup::testing
