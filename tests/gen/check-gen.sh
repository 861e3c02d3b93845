#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-gen.sh GEN WORKDIR -- self-test of expose-gen (not of the miner):
#   * every scenario at default settings writes the packet count that
#     SCENARIOS.md promises (the known answers were derived from exactly
#     these traces, so a changed count means SCENARIOS.md is stale);
#   * the same seed gives identical bytes, another seed different bytes;
#   * "all" is exactly the union of the nine small scenarios;
#   * tcpdump / capinfos read every link type and file format, and the
#     files are in strict time order except the two reordering fixtures;
#   * tshark, when installed, finds no malformed packet.
# Exit 0 on success, 1 on failure, 77 (skipped) without tcpdump.
set -u
GEN=$1
DIR=$2
fail=0
mkdir -p "$DIR" || exit 1
cd "$DIR" || exit 1

command -v tcpdump >/dev/null 2>&1 || { echo "SKIP: tcpdump not installed"; exit 77; }
HAVE_CAPINFOS=0; command -v capinfos >/dev/null 2>&1 && HAVE_CAPINFOS=1
HAVE_TSHARK=0; command -v tshark >/dev/null 2>&1 && HAVE_TSHARK=1

bad() { echo "FAIL: $*"; fail=1; }

# packets in FILE, as tcpdump counts them (hex dumps of unknown links aside)
count() { tcpdump -nr "$1" 2>/dev/null | grep -c '^[0-9]'; }

# scenario and its packet count at seed 1, default duration (SCENARIOS.md)
EXPECT="dns-web 15440
backend 20705
loadbalance 38541
periodic 277
independent 21662
separated 9656
longrunning 27029
ipv6 7631
scan 9212
all 150153
backwards 609
jitter 1318
short 55
nonip 230"

echo "$EXPECT" | while read -r name want; do
    "$GEN" --quiet "$name" "$name.pcap" || { bad "$name: expose-gen failed"; continue; }
    got=$(count "$name.pcap")
    [ "$got" = "$want" ] || bad "$name: $got packets, SCENARIOS.md says $want"
    if [ $HAVE_CAPINFOS = 1 ]; then
        order=$(capinfos -o "$name.pcap" | sed -n 's/.*Strict time order: *//p')
        case $name in
            backwards|jitter) [ "$order" = False ] || bad "$name: expected out-of-order times" ;;
            *) [ "$order" = True ] || bad "$name: not in time order" ;;
        esac
    fi
    if [ $HAVE_TSHARK = 1 ]; then
        n=$(tshark -r "$name.pcap" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l)
        [ "$n" -eq 0 ] || bad "$name: $n malformed or error packets"
    fi
    [ $fail = 0 ] || exit 1
done || fail=1

# "all" is the union of the small scenarios
total=0
for name in dns-web backend loadbalance periodic independent separated longrunning ipv6 scan; do
    total=$((total + $(count "$name.pcap")))
done
[ "$total" = "$(count all.pcap)" ] || bad "all.pcap is not the union of the scenarios"

# determinism
"$GEN" --quiet --duration 300 all a1.pcap && "$GEN" --quiet --duration 300 all a2.pcap
cmp -s a1.pcap a2.pcap || bad "same seed, different bytes"
"$GEN" --quiet --duration 300 --seed 2 all a3.pcap
cmp -s a1.pcap a3.pcap && bad "seed 2 gives the same bytes as seed 1"

# every link type and format is readable and holds every packet
want=$(count a1.pcap)
for link in ether raw sll sll2 null vlan; do
    for fmt in pcap pcapng; do
        for flags in "" "--nsec --swapped"; do
            f=lt-$link.$fmt
            "$GEN" --quiet --duration 300 --linktype "$link" --format "$fmt" $flags all "$f" \
                || bad "$link $fmt $flags: expose-gen failed"
            got=$(count "$f")
            [ "$got" = "$want" ] || bad "$link $fmt $flags: tcpdump read $got of $want packets"
        done
    done
done

# fixtures that are not IP: badlink must still be a readable capture
"$GEN" --quiet badlink badlink.pcap || bad "badlink: expose-gen failed"
[ "$(count badlink.pcap)" = 60 ] || bad "badlink: not 60 records"
"$GEN" --quiet --linktype raw nonip x.pcap 2>/dev/null && bad "nonip accepted --linktype raw"

# a small bench-ingest has exactly the packets asked for
"$GEN" --quiet --packets 20000 --duration 10 bench-ingest bi.pcap || bad "bench-ingest failed"
[ "$(count bi.pcap)" = 20000 ] || bad "bench-ingest: wrong packet count"

[ $fail = 0 ] && echo "expose-gen self-check passed"
exit $fail
