# cmake -DROOT=<agent dir> -DSTAMP=<file> -P CheckLeanBoundary.cmake
# Fails when a file of the lean layer (agent/lean/, agent/daemon_main.cc) includes a header of
# the full agent (agent/full/) or of the CLI (agent/cli/): guestbackup-daemon links only
# guestbackup_lean, and such an include is how kopia, SQLite or Poco would creep back into it.
file(GLOB_RECURSE files ${ROOT}/lean/*.h ${ROOT}/lean/*.cc)
list(APPEND files ${ROOT}/daemon_main.cc)
set(violations "")
foreach(file IN LISTS files)
  file(STRINGS ${file} lines)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*[\"<](full|cli)/")
      file(RELATIVE_PATH shown ${ROOT}/.. ${file})
      string(APPEND violations "${shown}:${number}: ${line}\n")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "the lean layer includes the full agent or the CLI "
                      "(guestbackup-daemon must not link them):\n${violations}")
endif()
file(TOUCH ${STAMP})
