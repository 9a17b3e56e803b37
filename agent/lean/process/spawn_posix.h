// Starts a child with fork() + execve(): own process group, clean signal state, only the
// descriptors we hand it. Failures in the child before exec come back as a Status.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "lean/base/status.h"
#include "lean/process/process.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::process {

struct SpawnedChild {
  pid_t pid = -1;      // also its process group id
  UniqueFd stdin_fd;   // non-blocking write end; invalid when stdin is /dev/null
  UniqueFd stdout_fd;  // non-blocking read ends
  UniqueFd stderr_fd;
};

// Runs spec.argv with environment `env` ("NAME=value" each), in spec.working_dir, with a
// stdin pipe when spec.stdin_data is not empty or spec.stdin_pipe is set. Returns once the
// child has exec'd; the caller must then reap it. On failure nothing is left running: kNotFound /
// kPermissionDenied for the executable or working directory, kInvalidArgument for unusable argv,
// kFailed or kInternal for the rest.
Result<SpawnedChild> Spawn(const ProcessSpec& spec, const std::vector<std::string>& env);

}  // namespace guestbackup::process
