#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ingest speed of the CLI (libpcap read + parse + connection table +
# windows) against tcpdump reading the same file, both from the page cache.
#   bench/bench_ingest.sh [BUILD_DIR] [PACKETS]
set -euo pipefail
build=${1:-build}
packets=${2:-10000000}
f=/tmp/expose-bench-ingest-$packets.pcap
[ -f "$f" ] || "$build/tests/gen/expose-gen" --quiet --packets "$packets" bench-ingest "$f"
cat "$f" > /dev/null                       # into the page cache

best() {   # best wall time of three runs of "$@" (GNU time writes it to a file)
  local b=999999 t out
  out=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -f %e -o "$out" "$@" > /dev/null 2>&1
    t=$(tail -1 "$out")
    b=$(echo "$t $b" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  rm -f "$out"
  echo "$b"
}
tcpdump_s=$(best tcpdump -r "$f" -w /dev/null)
line=$("$build/expose" --json "$f" 2>&1 >/dev/null | grep -o 'read in [0-9.]* s' | awk '{print $3}')
read_s=$line
for _ in 1 2; do
  t=$("$build/expose" --json "$f" 2>&1 >/dev/null | grep -o 'read in [0-9.]* s' | awk '{print $3}')
  read_s=$(echo "$t $read_s" | awk '{print ($1 < $2) ? $1 : $2}')
done
total_s=$(best "$build/expose" --json "$f")
awk -v n="$packets" -v td="$tcpdump_s" -v rd="$read_s" -v tot="$total_s" 'BEGIN {
  printf "file: %d packets, %s\n", n, "'"$f"'"
  printf "tcpdump -r F -w /dev/null: %.2f s  (%.1f M packets/s)\n", td, n / td / 1e6
  printf "expose ingest (read+parse+table+windows): %.2f s  (%.1f M packets/s)\n", rd, n / rd / 1e6
  printf "expose whole run (ingest+mine+report): %.2f s\n", tot
  printf "ratio ingest/tcpdump: %.2f\n", rd / td
}'
