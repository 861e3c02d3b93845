#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build expose and run every test (the command the README and CI use).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" ${EXPOSE_CMAKE_ARGS:-}
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
