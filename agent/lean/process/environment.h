// Builds a child's environment from ours: variables removed, then added or replaced.
// Pure functions over "NAME=value" strings, shared by every platform's Run().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::process {

// Returns `inherited` (each "NAME=value") without the names in `unset`, with each of `extra`
// replacing a variable of the same name in place or appended in order. Returns
// kInvalidArgument when a name in `extra` or `unset` is empty or contains '=' or NUL, or a
// value contains NUL (it would silently cut the value short).
Result<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& inherited,
    const std::vector<std::pair<std::string, std::string>>& extra,
    const std::vector<std::string>& unset);

// Returns the value of `name` in `env`, or nullopt when it is not set.
std::optional<std::string_view> FindVariable(const std::vector<std::string>& env,
                                             std::string_view name);

}  // namespace guestbackup::process
