#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_scan_nfpc.sh EXPOSE CAPTURES -- on the Network Forensics Puzzle #4
# capture, 10.42.42.253 port-scans 10.42.42.25, .50 and .56 (Nmap): the
# JSON report must list the three port scans and the scanner's profile.
# Rules are not the point here: a small K keeps the run and the report short.
exe=$1
pcap=$2/nfpc-evidence04-scan.pcap
if [ ! -f "$pcap" ]; then
    echo "skipped: ../shared/captures not found"
    exit 77
fi
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
if ! "$exe" -q --json -k 30 "$pcap" >"$out"; then
    echo "FAIL: expose exited with an error"
    exit 1
fi
fail=0
for target in 10.42.42.25 10.42.42.50 10.42.42.56; do
    line=$(grep "\"kind\":\"port\",\"host\":\"10.42.42.253\",\"target\":\"$target\",\"proto\":\"tcp\"" "$out")
    if [ -z "$line" ]; then
        echo "FAIL: no port scan of $target by 10.42.42.253"
        fail=1
        continue
    fi
    count=$(printf '%s\n' "$line" | sed 's/.*"count":\([0-9]*\).*/\1/')
    if [ "$count" -lt 100 ]; then
        echo "FAIL: port scan of $target covers $count ports"
        fail=1
    fi
    echo "ok: 10.42.42.253 port-scans $target ($count ports)"
done
scans=$(grep -c '"kind":"' "$out")
echo "scans reported: $scans"
if ! grep -q '{"host":"10.42.42.253","role":' "$out"; then
    echo "FAIL: no profile for the scanner"
    fail=1
fi
exit $fail
