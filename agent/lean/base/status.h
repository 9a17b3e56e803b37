// Status and Result<T>: how core code reports failure without exceptions.
// A Status carries a code (which the CLI maps to an exit code) and a message with context.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace guestbackup {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // bad input from the user (flags, policy values)
  kPolicyError,       // the policy file is invalid
  kNotFound,          // a named thing does not exist
  kPermissionDenied,  // refused for safety (loose credential file, ACL)
  kUnavailable,       // server unreachable, TLS/fingerprint mismatch, authentication failure
  kAlreadyRunning,    // another run of the same job holds its lock
  kInterrupted,       // stopped by a signal
  kPartial,           // finished, but some files could not be read
  kFailed,            // the operation ran and failed
  kIo,                // local I/O error (files, database)
  kInternal,          // a bug: should not happen
};

// Returns a stable lowercase name, e.g. "unavailable".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "unavailable: cannot connect to https://..." or "ok".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>", keeping the code.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status PolicyError(std::string m) { return {StatusCode::kPolicyError, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status AlreadyRunning(std::string m) { return {StatusCode::kAlreadyRunning, std::move(m)}; }
inline Status Interrupted(std::string m) { return {StatusCode::kInterrupted, std::move(m)}; }
inline Status Failed(std::string m) { return {StatusCode::kFailed, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIo, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok())
      v_ = Status(StatusCode::kInternal, "Result built from ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace guestbackup

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define GB_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::guestbackup::Status gb_status_ = (expr); \
    if (!gb_status_.ok()) return gb_status_;   \
  } while (false)
