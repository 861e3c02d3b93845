#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# generate.sh GEN OUTDIR SCENARIO...: write each scenario's trace (seed 1),
# plus dns-web in other link types and formats for the variants test.
set -euo pipefail
gen=$1 out=$2
shift 2
mkdir -p "$out"
for s in "$@"; do
  "$gen" --quiet "$s" "$out/$s.pcap"
done
"$gen" --quiet --format pcapng --nsec dns-web "$out/dns-web-ng.pcapng"
"$gen" --quiet --linktype sll2 --swapped dns-web "$out/dns-web-sll2.pcap"
"$gen" --quiet --linktype vlan dns-web "$out/dns-web-vlan.pcap"
"$gen" --quiet --linktype raw dns-web "$out/dns-web-raw.pcap"
"$gen" --quiet --linktype null dns-web "$out/dns-web-null.pcap"
