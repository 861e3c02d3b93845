#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build expose and run every test (the command the README and CI use).
#   BUILD_DIR=build-asan EXPOSE_CMAKE_ARGS=-DEXPOSE_SANITIZE=ON ./scripts/test.sh
# builds with ASan + UBSan in build-asan instead; arguments go to ctest
# (for example -LE slow, -R hostile).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" ${EXPOSE_CMAKE_ARGS:-}
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
