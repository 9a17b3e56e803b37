# A static archive does not name the libraries it needs, as a shared library does. When the
# libraries found are archives (the portable build, cmake/toolchains/portable.cmake), add what
# each needs to its imported target; Poco's and OpenSSL's own CMake files already do.
if(LibArchive_LIBRARIES MATCHES "\\.a$")
  find_package(ZLIB REQUIRED)  # zisofs-compressed files on a config disk
  set_property(TARGET LibArchive::LibArchive APPEND PROPERTY INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
  if(WIN32)  # archive.h declares its functions as a DLL's imports unless told otherwise
    set_property(TARGET LibArchive::LibArchive APPEND
                 PROPERTY INTERFACE_COMPILE_DEFINITIONS LIBARCHIVE_STATIC)
  endif()
endif()
if(SQLite3_LIBRARIES MATCHES "\\.a$")
  set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
  if(NOT WIN32)  # the C runtime holds the maths on Windows
    set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES m)
  endif()
endif()
