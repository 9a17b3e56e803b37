#include <fcntl.h>
#include <unistd.h>

#include <Poco/Net/NetException.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "full/bandwidth/socket_copy.h"

namespace guestbackup::bandwidth {
namespace {

[[noreturn]] void Throw(const char* what) {
  throw Poco::Net::NetException(std::string(what) + ": " + std::strerror(errno));
}

class SpliceCopy : public SocketCopy {
 public:
  SpliceCopy(int read_end, int write_end) : read_end_(read_end), write_end_(write_end) {}
  ~SpliceCopy() override {
    close(read_end_);
    close(write_end_);
  }

  long Receive(Poco::Net::StreamSocket& from, std::size_t chunk) override {
    for (;;) {
      const ssize_t n =
          splice(from.impl()->sockfd(), nullptr, write_end_, nullptr, chunk, SPLICE_F_MOVE);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return -1;  // the receive timeout
      Throw("splice from a socket");
    }
  }

  void SendAll(Poco::Net::StreamSocket& to, std::size_t bytes) override {
    while (bytes > 0) {
      const ssize_t n =
          splice(read_end_, nullptr, to.impl()->sockfd(), nullptr, bytes, SPLICE_F_MOVE);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Throw("splice to a socket");
      bytes -= static_cast<std::size_t>(n);
    }
  }

 private:
  int read_end_;
  int write_end_;
};

}  // namespace

std::unique_ptr<SocketCopy> SocketCopy::Create(std::size_t largest_chunk) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) return nullptr;
  // The pipe holds a whole chunk, so Receive never waits on SendAll's side of it.
  (void)fcntl(ends[1], F_SETPIPE_SZ, static_cast<int>(largest_chunk));
  return std::make_unique<SpliceCopy>(ends[0], ends[1]);
}

}  // namespace guestbackup::bandwidth
