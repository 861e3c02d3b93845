#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sanitizer-env.sh -- the environment an unsanitized program (tshark,
# wireshark) needs to load a plugin built with -DEXPOSE_SANITIZE=ON.
#
#   tests/sanitizer-env.sh PATH
#
# PATH is a build directory or any file or directory inside one (the
# built expose.so will do).  Prints one NAME=VALUE per line -- LD_PRELOAD
# (the ASan/UBSan runtimes), ASAN_OPTIONS (leak checking off: Wireshark and
# GLib keep memory until exit by design; abort on a report), UBSAN_OPTIONS
# -- and nothing at all when that build is not sanitized.  Use it for the
# host program only, not for the whole script:
#
#   mapfile -t SAN_ENV < <(bash tests/sanitizer-env.sh "$SO")
#   env "${SAN_ENV[@]}" tshark ...       (env with no assignments is a no-op)
#
# The values come from <build>/sanitizer.env, which CMake writes at
# configure time (cmake/sanitize.cmake); exit status 0, or 2 when PATH is
# not inside a CMake build directory.
set -eu
path=${1:?usage: sanitizer-env.sh BUILD_DIR|FILE_IN_BUILD_DIR}
dir=$(cd "$(dirname -- "$path")" && pwd)/$(basename -- "$path")
[ -d "$dir" ] || dir=$(dirname -- "$dir")
while [ ! -f "$dir/CMakeCache.txt" ]; do
    if [ "$dir" = / ] || [ -z "$dir" ]; then
        echo "sanitizer-env.sh: $path is not inside a CMake build directory" >&2
        exit 2
    fi
    dir=$(dirname -- "$dir")
done
if [ -f "$dir/sanitizer.env" ]; then
    grep -E '^[A-Z_]+=' "$dir/sanitizer.env" || true
elif grep -q '^EXPOSE_SANITIZE:BOOL=ON$' "$dir/CMakeCache.txt"; then
    # configured before sanitizer.env existed: the gcc defaults
    echo "LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
    echo "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0"
    echo "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1"
fi
