// Moving bytes from one connected socket to another in two steps, so that the relay can hold
// them in between: Receive takes up to a chunk in, SendAll passes what was taken on. On Linux
// the bytes go through a pipe with splice(2) and never into user space (half the relay's CPU
// at full speed); elsewhere through a buffer with recv/send.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <memory>

namespace guestbackup::bandwidth {

class SocketCopy {
 public:
  // The copy for this system. nullptr when it cannot be set up (no pipe left): the caller
  // then fails the connection.
  static std::unique_ptr<SocketCopy> Create(std::size_t largest_chunk);
  virtual ~SocketCopy() = default;

  // Bytes taken in (> 0), 0 at the end of the stream, -1 when the socket's receive timeout
  // passed with nothing to take. Throws Poco::Exception on an error.
  virtual long Receive(Poco::Net::StreamSocket& from, std::size_t chunk) = 0;
  // Passes all `bytes` taken in on. Throws Poco::Exception on an error.
  virtual void SendAll(Poco::Net::StreamSocket& to, std::size_t bytes) = 0;
};

}  // namespace guestbackup::bandwidth
