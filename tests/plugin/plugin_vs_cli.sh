#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tshark -z expose,format=json and expose --json must mine the same rules
# (same items and activities, same support, scores within 1e-9) and the
# same summary counts, or refuse a trace for the same reason.
#
# usage: plugin_vs_cli.sh SO EXPOSE RULES_CMP captures DIR
#        plugin_vs_cli.sh SO EXPOSE RULES_CMP generated EXPOSE_GEN
#        plugin_vs_cli.sh SO EXPOSE RULES_CMP edge MKCASES
#
# captures:  every capture in ../shared/captures (skipped when absent)
# generated: every expose-gen scenario and fixture, and dns-web in each link type and
#            file format the generator writes
# edge:      tunnels, ICMP errors, fragments, IPv6 extension headers (the
#            choices both readers make the same way, with and without
#            Wireshark's reassembly, in one and two passes) and the cases
#            where they legitimately disagree
SO=$1
EXPOSE=$2
RULES_CMP=$3
MODE=$4
ARG=$5

if [ "$MODE" = captures ] && [ ! -d "$ARG" ]; then
    echo "skipped: ../shared/captures not found"
    exit 77
fi
if [ "$MODE" = generated ] && [ ! -x "$ARG" ]; then
    echo "skipped: expose-gen not built"
    exit 77
fi
. "$(dirname "$0")/lib.sh"

run_captures() {
    local f found=0
    for f in "$ARG"/*.pcap "$ARG"/*.pcapng "$ARG"/*.cap; do
        [ -f "$f" ] || continue
        found=1
        compare_cli "$f"
    done
    [ "$found" -eq 1 ] || { echo "skipped: no capture in $ARG"; exit 77; }
}

run_generated() {
    local s l
    for s in dns-web backend loadbalance periodic independent separated longrunning \
             ipv6 scan all; do
        "$ARG" --quiet "$s" "$STAGE/gen-$s.pcap" || { fail "expose-gen $s"; continue; }
        compare_cli "$STAGE/gen-$s.pcap"
        rm -f "$STAGE/gen-$s.pcap"
    done
    for l in raw sll sll2 null vlan; do
        "$ARG" --quiet --linktype "$l" --duration 120 dns-web "$STAGE/gen-$l.pcap" &&
            compare_cli "$STAGE/gen-$l.pcap"
    done
    "$ARG" --quiet --format pcapng --nsec --duration 120 dns-web "$STAGE/gen.pcapng" &&
        compare_cli "$STAGE/gen.pcapng"
    # The generator's fixtures: time going backwards, jitter, too short.
    for s in backwards jitter short; do
        "$ARG" --quiet "$s" "$STAGE/fx-$s.pcap" && compare_cli "$STAGE/fx-$s.pcap"
    done
    "$ARG" --quiet nonip "$STAGE/fx-nonip.pcap" &&
        both_refuse "$STAGE/fx-nonip.pcap" "the CLI words its own message for a trace without IP"
    "$ARG" --quiet badlink "$STAGE/fx-badlink.pcap" &&
        both_refuse "$STAGE/fx-badlink.pcap" \
            "link type USER0: the CLI refuses the link type, Wireshark reads the frames but finds no IP"
}

run_edge() {
    "$ARG" edge "$STAGE/edge.pcap" && "$ARG" mpls "$STAGE/mpls.pcap" || exit 99
    compare_cli "$STAGE/edge.pcap"
    echo "edge.pcap again, without IP reassembly:"
    compare_cli "$STAGE/edge.pcap" -o ip.defragment:FALSE -o ipv6.defragment:FALSE
    echo "edge.pcap again, in two passes (-2):"
    compare_cli "$STAGE/edge.pcap" -2

    # The ICMP errors quote UDP probes to port 33434: those must not become
    # flows.  Alone, the errors are one ICMP connection, 10.0.0.99 -> 10.0.0.1.
    ts -q -r "$(stage_in "$STAGE/edge.pcap")" \
        -z "expose,format=json,min-windows=2,filter=icmp.type==3"
    check "ICMP errors: mined as ICMP only" out_has '"mined_packets":15,'
    check "ICMP errors: no phantom flow from the quoted header" out_has '"connections":1,'

    # MPLS: Wireshark finds the IPv4 packets behind the label stack; the
    # CLI's reader decodes Ethernet and VLAN tags only and counts them "not
    # IP".  Same packets, 20 more mined by tshark, nothing else different
    # in what was read.
    known_difference "$STAGE/mpls.pcap" \
        "IPv4 inside MPLS is mined by tshark, skipped as not IP by the CLI" \
        "summary.skipped.not_ip: 20 / 0" "summary.mined_packets: 40 / 60"
    check "MPLS: both read the same packets" \
        bash -c "! grep -q -e '^summary\.packets:' -e '^summary\.skipped\.[a-mo-z]' '$STAGE/cmp'"
}

case "$MODE" in
    captures) run_captures ;;
    generated) run_generated ;;
    edge) run_edge ;;
    *) echo "unknown mode $MODE"; exit 99 ;;
esac
finish
