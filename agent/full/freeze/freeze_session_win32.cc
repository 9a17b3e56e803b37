// Windows has no FIFREEZE: a consistent copy there comes from a volume shadow copy
// (`snapshot: vss`), and the policy refuses `freeze` before a run could get here.
#include "full/freeze/freeze_session.h"

namespace guestbackup::freeze {

Result<FreezeSession> FreezeSession::Start(const std::vector<std::string>&,
                                           std::chrono::milliseconds, const std::string&,
                                           const std::string&) {
  return InvalidArgument(
      "freeze: freezing file systems is for Linux guests; on Windows, "
      "`snapshot: vss` gives a consistent copy");
}

FreezeSession::FreezeSession(FreezeSession&&) noexcept = default;
FreezeSession& FreezeSession::operator=(FreezeSession&&) noexcept = default;
FreezeSession::~FreezeSession() = default;
void FreezeSession::EndGuard() {}
Status FreezeSession::Thaw() { return Status::Ok(); }

}  // namespace guestbackup::freeze
