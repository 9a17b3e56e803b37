#include "lean/process/environment.h"

#include <algorithm>

namespace guestbackup::process {
namespace {

// "NAME" of "NAME=value"; the whole entry when it has no '=' (such entries are kept as is).
std::string_view NameOf(std::string_view entry) { return entry.substr(0, entry.find('=')); }

Status CheckName(std::string_view name) {
  if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string_view::npos) {
    return InvalidArgument("invalid environment variable name \"" + std::string(name) + "\"");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& inherited,
    const std::vector<std::pair<std::string, std::string>>& extra,
    const std::vector<std::string>& unset) {
  for (const std::string& name : unset) GB_RETURN_IF_ERROR(CheckName(name));
  for (const auto& [name, value] : extra) {
    GB_RETURN_IF_ERROR(CheckName(name));
    // The value may be a secret: name the variable only.
    if (value.find('\0') != std::string::npos) {
      return InvalidArgument("environment variable " + name + " contains a NUL byte");
    }
  }

  std::vector<std::string> env;
  env.reserve(inherited.size() + extra.size());
  for (const std::string& entry : inherited) {
    std::string_view name = NameOf(entry);
    if (std::find(unset.begin(), unset.end(), name) == unset.end()) env.push_back(entry);
  }
  for (const auto& variable : extra) {
    const auto& [name, value] = variable;
    std::string entry = name + "=" + value;
    auto same_name = [&variable](const std::string& e) { return NameOf(e) == variable.first; };
    auto it = std::find_if(env.begin(), env.end(), same_name);
    if (it == env.end()) {
      env.push_back(std::move(entry));
    } else {
      *it = std::move(entry);
      // A hand-built environment may hold a name twice; the child must see only ours.
      env.erase(std::remove_if(it + 1, env.end(), same_name), env.end());
    }
  }
  return env;
}

std::optional<std::string_view> FindVariable(const std::vector<std::string>& env,
                                             std::string_view name) {
  for (const std::string& entry : env) {
    if (NameOf(entry) == name && entry.size() > name.size()) {
      return std::string_view(entry).substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

}  // namespace guestbackup::process
