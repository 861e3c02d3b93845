#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer targets with clang in build-fuzz (or $BUILD_DIR) and
# make their seed corpora.  Then, for example:
#   build-fuzz/fuzz/fuzz_reader -max_total_time=600 -rss_limit_mb=2048 -timeout=10 \
#       build-fuzz/corpus-run/reader build-fuzz/corpus/reader
# (fuzz/README.md has the details; fuzz/run.sh runs all three.)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-fuzz}
cc=${CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz/build.sh: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
CC=$cc cmake -S . -B "$build" -DEXPOSE_FUZZ=ON -DEXPOSE_PLUGIN=OFF -DEXPOSE_SANITIZE=OFF
cmake --build "$build" -j"$(nproc)" --target fuzz_reader fuzz_records fuzz_options \
  fuzz_gen_records expose-gen cli_mkcap
fuzz/make-corpus.sh "$build"
