# The portable build: zig's compilers for one target (a glibc floor, or Windows), and nothing
# found outside the prefix scripts/portable-deps filled (its static libraries and headers), so
# no library or header of this machine's own glibc 2.36 userland can leak in.
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/portable.cmake \
#         -DGUESTBACKUP_PORTABLE_PREFIX=$(scripts/portable-deps x86_64-linux-gnu.2.28) ...
if(NOT GUESTBACKUP_PORTABLE_PREFIX AND DEFINED ENV{GUESTBACKUP_PORTABLE_PREFIX})
  set(GUESTBACKUP_PORTABLE_PREFIX "$ENV{GUESTBACKUP_PORTABLE_PREFIX}")
endif()
if(NOT EXISTS "${GUESTBACKUP_PORTABLE_PREFIX}/target")
  message(FATAL_ERROR "GUESTBACKUP_PORTABLE_PREFIX must name a prefix made by "
                      "scripts/portable-deps (it has no file 'target'): "
                      "'${GUESTBACKUP_PORTABLE_PREFIX}'")
endif()
# try_compile projects read this file again: hand them the prefix.
set(ENV{GUESTBACKUP_PORTABLE_PREFIX} "${GUESTBACKUP_PORTABLE_PREFIX}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES GUESTBACKUP_PORTABLE_PREFIX)

file(STRINGS "${GUESTBACKUP_PORTABLE_PREFIX}/target" GUESTBACKUP_PORTABLE_TARGET LIMIT_COUNT 1)
string(REGEX MATCH "^[^-]+" CMAKE_SYSTEM_PROCESSOR "${GUESTBACKUP_PORTABLE_TARGET}")
if(GUESTBACKUP_PORTABLE_TARGET MATCHES "-windows-")
  # Windows (mingw-w64 through zig): binutils' resource and message compilers, which zig has
  # no CMake-compatible counterpart of (Debian package binutils-mingw-w64-x86-64).
  set(CMAKE_SYSTEM_NAME Windows)
  find_program(CMAKE_RC_COMPILER ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32-windres REQUIRED)
  find_program(CMAKE_MC_COMPILER ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32-windmc REQUIRED)
  find_program(CMAKE_STRIP ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32-strip REQUIRED)
  find_program(CMAKE_OBJCOPY ${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32-objcopy REQUIRED)
else()
  set(CMAKE_SYSTEM_NAME Linux)
endif()
set(CMAKE_C_COMPILER "${GUESTBACKUP_PORTABLE_PREFIX}/bin/cc")
set(CMAKE_CXX_COMPILER "${GUESTBACKUP_PORTABLE_PREFIX}/bin/c++")
set(CMAKE_AR "${GUESTBACKUP_PORTABLE_PREFIX}/bin/ar" CACHE FILEPATH "")
set(CMAKE_RANLIB "${GUESTBACKUP_PORTABLE_PREFIX}/bin/ranlib" CACHE FILEPATH "")

set(CMAKE_FIND_ROOT_PATH "${GUESTBACKUP_PORTABLE_PREFIX}")
set(CMAKE_PREFIX_PATH "${GUESTBACKUP_PORTABLE_PREFIX}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Static archives only: the prefix holds no shared library, and this says so to find_library.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(OPENSSL_USE_STATIC_LIBS TRUE)

# Stripping (CPack, the packaging's install step) needs binutils that read the target's ELF:
# the machine's own read only its own architecture (Debian package binutils-<triplet>).
if(CMAKE_SYSTEM_NAME STREQUAL Linux AND NOT CMAKE_SYSTEM_PROCESSOR STREQUAL CMAKE_HOST_SYSTEM_PROCESSOR)
  find_program(CMAKE_STRIP ${CMAKE_SYSTEM_PROCESSOR}-linux-gnu-strip REQUIRED)
  find_program(CMAKE_OBJCOPY ${CMAKE_SYSTEM_PROCESSOR}-linux-gnu-objcopy REQUIRED)
endif()
