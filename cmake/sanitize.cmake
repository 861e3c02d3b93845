# SPDX-License-Identifier: GPL-2.0-or-later
# EXPOSE_SANITIZE: build everything (core, CLI, tests, plugin) with
# AddressSanitizer and UndefinedBehaviorSanitizer.  Any report aborts the
# program (UBSan does not recover), so a report fails the test that saw it.
#
# Writes ${CMAKE_BINARY_DIR}/sanitizer.env, empty when not sanitized: the
# environment an *unsanitized* program (tshark, wireshark) needs to load
# the sanitized plugin -- the runtime preloaded, leak checking off (Wireshark
# and GLib keep memory until exit by design).  tests/sanitizer-env.sh prints
# it for test scripts.
set(_env "${CMAKE_BINARY_DIR}/sanitizer.env")
if(NOT EXPOSE_SANITIZE)
  file(WRITE "${_env}" "")
  return()
endif()

add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)

# The runtimes to preload.  gcc links the shared runtimes into every
# program and into expose.so; clang links static ones into programs, so a
# shared object needs -shared-libsan (and the preloaded shared runtime,
# which carries UBSan's handlers too).
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_link_options(-shared-libsan)
  set(_libs libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
else()
  set(_libs libasan.so libubsan.so)
endif()
set(_preload "")
foreach(_lib ${_libs})
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=${_lib}
                  OUTPUT_VARIABLE _path OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${_path}" OR NOT EXISTS "${_path}")
    message(FATAL_ERROR "EXPOSE_SANITIZE: ${CMAKE_C_COMPILER} has no ${_lib} "
                        "(Debian: libgcc-12-dev for gcc, libclang-rt-14-dev for clang)")
  endif()
  get_filename_component(_path "${_path}" REALPATH)
  list(APPEND _preload "${_path}")
endforeach()
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  # Programs linked with -shared-libsan find the runtime through this.
  list(GET _preload 0 _first)
  get_filename_component(_rtdir "${_first}" DIRECTORY)
  add_link_options(-Wl,-rpath,${_rtdir})
endif()
string(REPLACE ";" ":" _preload "${_preload}")

set(EXPOSE_ASAN_OPTIONS "abort_on_error=1:detect_leaks=1")
set(EXPOSE_UBSAN_OPTIONS "print_stacktrace=1:halt_on_error=1:abort_on_error=1")
file(WRITE "${_env}"
  "LD_PRELOAD=${_preload}\n"
  "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0\n"
  "UBSAN_OPTIONS=${EXPOSE_UBSAN_OPTIONS}\n")

# Every test of this build runs with these options (CTest reads the file
# before the tests and passes its environment on): a report aborts (exit
# 134, never mistaken for expose's own exit 1), leaks are reported.
# Options already in the environment come last and win.
file(WRITE "${CMAKE_BINARY_DIR}/sanitizer-ctest.cmake"
  "set(ENV{ASAN_OPTIONS} \"${EXPOSE_ASAN_OPTIONS}:\$ENV{ASAN_OPTIONS}\")\n"
  "set(ENV{UBSAN_OPTIONS} \"${EXPOSE_UBSAN_OPTIONS}:\$ENV{UBSAN_OPTIONS}\")\n")
set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY TEST_INCLUDE_FILES
             "${CMAKE_BINARY_DIR}/sanitizer-ctest.cmake")
message(STATUS "EXPOSE_SANITIZE: ASan + UBSan; runtimes for unsanitized hosts: ${_preload}")
