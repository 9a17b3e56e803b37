#include <Poco/Exception.h>

#include <vector>

#include "full/bandwidth/socket_copy.h"

namespace guestbackup::bandwidth {
namespace {

class BufferCopy : public SocketCopy {
 public:
  explicit BufferCopy(std::size_t largest_chunk) : buffer_(largest_chunk) {}

  long Receive(Poco::Net::StreamSocket& from, std::size_t chunk) override {
    try {
      return from.receiveBytes(buffer_.data(), static_cast<int>(std::min(chunk, buffer_.size())));
    } catch (const Poco::TimeoutException&) {
      return -1;
    }
  }

  void SendAll(Poco::Net::StreamSocket& to, std::size_t bytes) override {
    std::size_t sent = 0;
    while (sent < bytes) {
      const int n = to.sendBytes(buffer_.data() + sent, static_cast<int>(bytes - sent));
      if (n <= 0) throw Poco::IOException("the connection closed while sending");
      sent += static_cast<std::size_t>(n);
    }
  }

 private:
  std::vector<char> buffer_;
};

}  // namespace

std::unique_ptr<SocketCopy> SocketCopy::Create(std::size_t largest_chunk) {
  return std::make_unique<BufferCopy>(largest_chunk);
}

}  // namespace guestbackup::bandwidth
