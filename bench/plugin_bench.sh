#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What does -z expose cost inside tshark?  Wall times, on the same capture
# of >= 1M packets, of
#     tshark -q -r F                 (reading only: no tap, no dissection)
#     tshark -q -r F -z conv,ip      (a stock statistic: full dissection)
#     tshark -q -r F -z expose       (dissection + collection + mining)
# The budget: expose at most 1.10x conv,ip.  Not a test (timings depend on
# the machine and its load); run it by hand:
#
#     bench/plugin_bench.sh [BUILD_DIR [PACKETS [REPEATS]]]
#
# defaults: build, 1000000, 3.  The capture comes from expose-gen's
# bench-ingest scenario (many short flows).  Each command runs REPEATS
# times, interleaved, and the median counts.  As root, tshark runs as user
# 65534 (Wireshark ignores WIRESHARK_PLUGIN_DIR for root).
#
# Measured on the 2-core development machine (shared, load ~2), 1,000,000
# packets (73 MB, 1 h of traffic), median of 5, two sessions:
#     tshark -q -r F                  0.47 s    0.51 s
#     tshark -q -r F -z conv,ip       7.54 s    6.93 s
#     tshark -q -r F -z expose        6.85 s    7.39 s
#     expose / conv,ip                0.91      1.07
# CPU time (user + sys) of the two is within a few per cent of each other
# (conv,ip 6.2-7.4 s, expose 6.2-6.6 s); the spread of wall times is the
# load of the machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
packets=${2:-1000000}
repeats=${3:-3}
so=$build/plugin/expose.so
gen=$build/tests/gen/expose-gen
for f in "$so" "$gen"; do
    [ -x "$f" ] || [ -f "$f" ] || { echo "plugin_bench: $f not built" >&2; exit 2; }
done

work=$(mktemp -d /tmp/expose-plugin-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins/4.0/epan" "$work/home"
cp "$so" "$work/plugins/4.0/epan/"
"$gen" --quiet --packets "$packets" bench-ingest "$work/bench.pcap"
chmod -R a+rX "$work"
chmod 1777 "$work/home"

as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Wall seconds of one tshark run with ARGS.
run() {
    local t0 t1
    t0=$(date +%s.%N)
    "${as_user[@]}" env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$work/plugins" \
        tshark -q -r "$work/bench.pcap" "$@" >/dev/null 2>"$work/err" ||
        { echo "plugin_bench: tshark $* failed:" >&2; cat "$work/err" >&2; exit 1; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

plain=() conv=() expose=()
for _ in $(seq 1 "$repeats"); do
    plain+=("$(run)")
    conv+=("$(run -z conv,ip)")
    expose+=("$(run -z expose)")
done
p=$(median "${plain[@]}")
c=$(median "${conv[@]}")
e=$(median "${expose[@]}")

echo "capture: $packets packets ($(du -h "$work/bench.pcap" | cut -f1)), median of $repeats runs"
printf '  %-32s %8.2f s\n' "tshark -q -r F" "$p" "tshark -q -r F -z conv,ip" "$c" \
    "tshark -q -r F -z expose" "$e"
ratio=$(echo "scale=3; $e / $c" | bc)
printf '  expose / conv,ip = %.3f (budget 1.10), expose / reading = %.1f\n' \
    "$ratio" "$(echo "scale=3; $e / $p" | bc)"
if [ "$(echo "$ratio <= 1.10" | bc)" -eq 1 ]; then
    echo "  within budget"
else
    echo "  OVER BUDGET"
    exit 1
fi
