// Values from files the agent does not control (policy keys, ISO labels, instance data), as
// they appear in messages: quoted, control characters (C0, DEL, C1) and bytes that are no
// UTF-8 written as \xNN so a message never carries an escape sequence to the terminal, and long
// values cut so one value cannot flood a log.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace guestbackup {

// The longest value shown whole; longer ones keep their start and say how long they were.
inline constexpr std::size_t kMaxQuotedBytes = 120;

// "\"a\\x1bb\"" for "a\x1bb"; "\"aaaa…\" (200000 bytes)" for a longer value than `max`.
std::string Quoted(std::string_view value, std::size_t max = kMaxQuotedBytes);

// `value` with control characters and bytes of no UTF-8 character written as \xNN, unquoted
// and uncut; well-formed UTF-8 ("Grüße") is kept.
std::string EscapeControl(std::string_view value);

}  // namespace guestbackup
