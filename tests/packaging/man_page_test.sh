#!/usr/bin/env bash
# The man page is true to the CLI: every command `guestbackup --help` lists (subcommands of
# policy and schedule included) has an entry tagged \fBguestbackup COMMAND\fR, each of the
# command's options appears in its entry, every global option in GLOBAL OPTIONS, and no entry
# names a command that does not exist. The page renders without a groff warning.
# Usage: man_page_test.sh GUESTBACKUP_BINARY MAN_PAGE
set -euo pipefail
bin=$1
page=$2
source "$(dirname "$0")/cli_help.sh"

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# The roff spelling of an option: every - is \-.
roff() { printf '%s' "${1//-/\\-}"; }

# entry COMMAND: the lines of the .TP entry tagged \fBguestbackup COMMAND\fR, up to the next
# .TP, .SS or .SH.
entry() {
  TAG="\\fBguestbackup $1\\fR" awk '
    in_entry && /^\.(TP|SS|SH)/ { exit }
    in_entry { print; next }
    prev == ".TP" && index($0, ENVIRON["TAG"]) == 1 { in_entry = 1; print }
    { prev = $0 }' "$page"
}

commands=$(help_commands "$bin")
[ -n "$commands" ] || fail "no commands parsed from $bin --help"
while read -r command; do
  checks=$((checks + 1))
  text=$(entry "$command")
  if [ -z "$text" ]; then
    fail "guestbackup $command has no entry (\\fBguestbackup $command\\fR after .TP) in $page"
    continue
  fi
  # shellcheck disable=SC2086  # the command path is two words for policy and schedule
  for option in $(help_options "$bin" $command); do
    [ "$option" = --help ] && continue
    checks=$((checks + 1))
    grep -qF -- "$(roff "$option")" <<<"$text" ||
      fail "guestbackup $command: option $option is not in its man page entry"
  done
done <<<"$commands"

global=$(awk '/^\.SH GLOBAL OPTIONS/ { s = 1; next } s && /^\.SH/ { exit } s' "$page")
for option in $(help_options "$bin"); do
  checks=$((checks + 1))
  grep -qF -- "$(roff "$option")" <<<"$global" || fail "global option $option is not in GLOBAL OPTIONS"
done

# Entries for commands that no longer exist.
while read -r tagged; do
  checks=$((checks + 1))
  grep -qxF -- "$tagged" <<<"$commands" ||
    fail "the man page describes 'guestbackup $tagged', which --help does not list"
done < <(awk 'prev == ".TP" && /^\\fBguestbackup / {
                sub(/^\\fBguestbackup /, ""); sub(/\\fR.*/, ""); print }
              { prev = $0 }' "$page")

# As lintian checks manual pages.
checks=$((checks + 1))
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) ||
  fail "man could not render $page: $warnings"
[ -z "$warnings" ] || fail "groff warnings for $page:"$'\n'"$warnings"

if [ "$failures" -gt 0 ]; then
  echo "$failures of $checks checks failed" >&2
  exit 1
fi
echo "man page: $checks checks passed ($(wc -l <<<"$commands") commands)"
