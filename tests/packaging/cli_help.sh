# Sourced by the packaging tests: the subcommands and options that guestbackup's own --help
# lists (CLI11's layout: "Subcommands:" and "Options:" sections, two-space indented items).

# help_subcommands BINARY [COMMAND...]: the subcommands of that command, one per line.
help_subcommands() {
  local bin=$1
  shift
  "$bin" "$@" --help |
    awk '/^Subcommands:/ { s = 1; next } s && /^$/ { s = 0 } s && /^  [a-z]/ { print $1 }'
}

# help_options BINARY [COMMAND...]: the long options of that command (--name), one per line,
# from every option section ("Options:" and groups such as "Server (...):").
help_options() {
  local bin=$1
  shift
  "$bin" "$@" --help |
    awk 'match($0, /^  (-[a-zA-Z],)?--[a-z][a-z-]*/) {
           o = substr($0, RSTART, RLENGTH); sub(/^ *(-[a-zA-Z],)?/, "", o); print o }'
}

# help_commands BINARY: every command path, "run", ..., "policy check", "schedule next", ...:
# a command with subcommands is listed through them only.
help_commands() {
  local bin=$1 cmd sub subs
  for cmd in $(help_subcommands "$bin"); do
    subs=$(help_subcommands "$bin" "$cmd")
    if [ -z "$subs" ]; then
      echo "$cmd"
    else
      for sub in $subs; do echo "$cmd $sub"; done
    fi
  done
}
