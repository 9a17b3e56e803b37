#!/usr/bin/env bash
# The bash completion, sourced into bash and called as readline would: it offers exactly the
# commands, subcommands and options that `guestbackup --help` lists, the values CLI11 accepts
# for --log-level, and the job names of the policy file given with --policy.
# Usage: bash_completion_test.sh GUESTBACKUP_BINARY COMPLETION_FILE
set -euo pipefail
bin=$1
completion=$2
source "$(dirname "$0")/cli_help.sh"
# shellcheck source=/dev/null
source "$completion"

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# complete_line LINE: the completions for the last word of LINE (a trailing space means a new
# empty word), sorted, one per line.
complete_line() {
  local line=$1
  read -r -a COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line
  COMP_POINT=${#line}
  COMPREPLY=()
  _guestbackup guestbackup "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}

# expect LINE EXPECTED...: the completions of LINE are exactly EXPECTED.
expect() {
  local line=$1
  shift
  checks=$((checks + 1))
  local want got
  want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
  got=$(complete_line "$line")
  [ "$got" = "$want" ] || fail "'$line<TAB>': got [$(echo $got)], want [$(echo $want)]"
}

checks=$((checks + 1))
[ "$(complete -p guestbackup)" = "complete -F _guestbackup guestbackup" ] ||
  fail "the file does not register _guestbackup for guestbackup"

# Commands and subcommands, as --help lists them.
mapfile -t commands < <(help_subcommands "$bin")
[ "${#commands[@]}" -gt 5 ] || fail "only ${#commands[@]} commands parsed from --help"
expect "guestbackup " "${commands[@]}"
expect "guestbackup --policy /etc/x.yaml --log-level info " "${commands[@]}"
for cmd in "${commands[@]}"; do
  mapfile -t subs < <(help_subcommands "$bin" "$cmd")
  [ "${#subs[@]}" -gt 0 ] && expect "guestbackup $cmd " "${subs[@]}"
done
expect "guestbackup s" $(printf '%s\n' "${commands[@]}" | grep '^s')

# Options of every command path, and the global ones.
mapfile -t global < <(help_options "$bin")
expect "guestbackup -" "${global[@]}"
while read -r command; do
  # shellcheck disable=SC2086  # the command path is two words for policy and schedule
  mapfile -t options < <(help_options "$bin" $command)
  expect "guestbackup $command -" "${options[@]}"
  expect "guestbackup --state-dir /srv/state $command -" "${options[@]}"
done < <(help_commands "$bin")

# Option values.
levels=$("$bin" --help | sed -n 's/.*--log-level TEXT:{\([^}]*\)}.*/\1/p' | tr , ' ')
[ -n "$levels" ] || fail "no --log-level values parsed from --help"
# shellcheck disable=SC2086
expect "guestbackup --log-level " $levels
triggers=$("$bin" run --help | sed -n 's/.*--trigger TEXT:{\([^}]*\)}.*/\1/p' | tr , ' ')
[ -n "$triggers" ] || fail "no --trigger values parsed from run --help"
# shellcheck disable=SC2086
expect "guestbackup run --trigger " $triggers

# Job names from the policy named with --policy: the sample's one job, and a file of our own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" policy init "$work/sample.yaml" >/dev/null
expect "guestbackup --policy $work/sample.yaml run " etc
cat >"$work/policy.yaml" <<'YAML'
version: 1
jobs:
  # the web root
  www:
    paths: [/srv/www]
  db-dump:
    paths: [/var/backups/db]
    schedule: daily
defaults:
  compression: zstd
YAML
expect "guestbackup --policy $work/policy.yaml run " www db-dump
expect "guestbackup --policy $work/policy.yaml run d" db-dump
expect "guestbackup --policy $work/policy.yaml history --job " www db-dump
expect "guestbackup --policy $work/missing.yaml run "

# Paths: a directory for --to, files for restore.
mkdir "$work/restore-here" && touch "$work/restore-me"
expect "guestbackup restore --to $work/restore-h" "$work/restore-here"
expect "guestbackup restore $work/restore-m" "$work/restore-me"
expect "guestbackup --config-disk $work/restore-m" "$work/restore-me"
expect "guestbackup --server-url "

if [ "$failures" -gt 0 ]; then
  echo "$failures of $checks checks failed" >&2
  exit 1
fi
echo "bash completion: $checks checks passed"
