#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job on a capture the project makes itself: install the build
# dependencies, build, generate the sample capture (planted DNS-before-web,
# a backend, load-balanced proxies, synchronized senders, scans, and
# negatives), mine it with the CLI, then with tshark -z expose.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build
cmake --build build -j"$(nproc)"
build/tests/gen/expose-gen all build/sample.pcap
echo "== expose build/sample.pcap"
build/expose build/sample.pcap
echo "== tshark -q -r build/sample.pcap -z expose"
./scripts/tshark-expose.sh -q -r build/sample.pcap -z expose
