// Whether a file system takes writes, for the freeze tests: a child process creates, writes and
// syncs a file in a directory, which waits as long as the file system is frozen. Linux only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace guestbackup::testing {

// Starts the child; the file it writes is removed again.
pid_t StartWriteProbe(const std::string& dir);

// How long until the probe finished, when it did within `limit`; nullopt while it still waits
// (call again after a thaw to reap it). A probe that failed to write fails the test.
std::optional<std::chrono::milliseconds> WaitForWriteProbe(pid_t pid,
                                                           std::chrono::milliseconds limit);

}  // namespace guestbackup::testing
