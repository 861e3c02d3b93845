#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The ways of running -z expose: text and JSON, out= (atomic), several runs
# at once, a display filter, two-pass reading, live capture (from a pipe,
# and on the loopback interface when it can be captured), and a trace that
# cannot be mined.
# usage: plugin_modes.sh SO EXPOSE RULES_CMP MKCASES
SO=$1
EXPOSE=$2
RULES_CMP=$3
MKCASES=$4
. "$(dirname "$0")/lib.sh"

"$MKCASES" edge "$STAGE/in/edge.pcap" && chmod a+r "$STAGE/in/edge.pcap" || exit 99
CAP=$STAGE/in/edge.pcap
"$EXPOSE" -q --json "$CAP" >"$STAGE/ref.json" || exit 99
"$EXPOSE" -q --json --window 2 "$CAP" >"$STAGE/ref-w2.json" || exit 99

same() { "$RULES_CMP" --summary "$1" "$2" >"$STAGE/cmp" 2>&1 || { cat "$STAGE/cmp"; false; }; }
# The text report's only run-dependent part: the mining time.
untimed() { sed -E 's/, [0-9.]+ s$//' "$1"; }

# Text: the CLI's report, word for word.
"$EXPOSE" -q "$CAP" >"$STAGE/ref.txt"
ts -q -r "$CAP" -z expose
check "text report: exit 0" rc_is 0
check "text report equals the CLI's" diff <(untimed "$STAGE/ref.txt") <(untimed "$OUT")

# out=: written whole, nothing on stdout, no temporary left behind.
ts -q -r "$CAP" -z "expose,format=json,out=$STAGE/out/r.json"
check "out=: exit 0" rc_is 0
check "out=: nothing on stdout" out_lacks '.'
check "out=: the report" same "$STAGE/ref.json" "$STAGE/out/r.json"
check "out=: no temporary file left" test "$(ls -A "$STAGE/out")" = "r.json"
# graph=: the rule graph beside the report, as the CLI's --graph.
ts -q -r "$CAP" -z "expose,format=json,graph=$STAGE/out/g.svg"
check "graph=: exit 0" rc_is 0
check "graph=: an SVG" grep -q '<svg' "$STAGE/out/g.svg"
check "graph=: the report still on stdout" out_has '"rules"'
ts -q -r "$CAP" -z "expose,graph=$STAGE/out/g.dot"
check "graph=.dot: Graphviz source" grep -q '^digraph expose' "$STAGE/out/g.dot"
rm -f "$STAGE/out/g.svg" "$STAGE/out/g.dot"
ts -q -r "$CAP" -z "expose,format=json,out=$STAGE/no/such/dir/r.json"
check "out= to a missing folder fails" rc_not 0
check "out= to a missing folder says why" err_has '^expose: .*no/such/dir'

# Two runs with their own options in one tshark.
ts -q -r "$CAP" -z "expose,format=json,out=$STAGE/out/a.json" \
    -z "expose,format=json,window=2,out=$STAGE/out/b.json"
check "two runs: exit 0" rc_is 0
check "two runs: the first" same "$STAGE/ref.json" "$STAGE/out/a.json"
check "two runs: the second, window=2" same "$STAGE/ref-w2.json" "$STAGE/out/b.json"

# filter= narrows the frames mined: as if the capture held only those.
flt='udp || icmp || icmpv6'
tshark -r "$CAP" -Y "$flt" -w "$STAGE/in/filtered.pcap" 2>/dev/null && chmod a+r "$STAGE/in/filtered.pcap"
"$EXPOSE" -q --json "$STAGE/in/filtered.pcap" >"$STAGE/ref-f.json"
ts -q -r "$CAP" -z "expose,format=json,filter=$flt"
check "filter=: exit 0" rc_is 0
check "filter=: same as mining the filtered capture" same "$STAGE/ref-f.json" "$OUT"

# -2: the first pass must not feed the engine twice.
ts -q -2 -r "$CAP" -z expose,format=json
check "two-pass: exit 0" rc_is 0
check "two-pass: same as one pass" same "$STAGE/ref.json" "$OUT"

# Live capture from a pipe: the report comes when the capture ends.
live_pipe() {
    timeout -k 5 120 "${AS_USER[@]}" "${TS_ENV[@]}" \
        tshark -i - -q -z expose,format=json <"$CAP" >"$OUT" 2>"$ERR"
    rc=$?
    check "live (pipe): exit 0" rc_is 0
    check "live (pipe): same as reading the file" same "$STAGE/ref.json" "$OUT"
}

# Live capture on the loopback interface; as root the unprivileged tshark
# gets the capture capabilities it needs (ambient, inherited by dumpcap).
live_loopback() {
    local caps=()
    [ "$(id -u)" -eq 0 ] && caps=(--inh-caps +net_raw,+net_admin --ambient-caps +net_raw,+net_admin)
    (sleep 2
     for _ in $(seq 1 40); do
         echo probe >/dev/udp/127.0.0.1/9 2>/dev/null    # a closed port: ICMP errors too
         sleep 0.1
     done) &
    timeout -k 5 120 "${AS_USER[@]}" "${caps[@]}" "${TS_ENV[@]}" \
        tshark -i lo -f 'udp port 9 or icmp' -a duration:7 -q -w "$STAGE/out/live.pcapng" \
        -z expose,window=0.25,format=json >"$OUT" 2>"$ERR"
    rc=$?
    wait
    if [ "$rc" -ne 0 ] || [ ! -s "$STAGE/out/live.pcapng" ]; then
        echo "note: live capture on lo not possible here (exit $rc): $(head -c 300 "$ERR")"
        return
    fi
    "$EXPOSE" -q --json --window 0.25 "$STAGE/out/live.pcapng" >"$STAGE/ref-live.json"
    check "live (lo): same as mining what was captured" same "$STAGE/ref-live.json" "$OUT"
    check "live (lo): packets were mined" out_has '"mined_packets":[1-9]'
}

# Live capture goes through dumpcap, which deadlocks on exit when a
# sanitizer runtime is preloaded into it (in a library's destructor, not in
# expose): sanitized builds leave this path to the plain build.
if [ ${#SAN_ENV[@]} -eq 0 ]; then
    live_pipe
    live_loopback
else
    echo "note: live capture not tested in a sanitized build"
fi

# A trace too short to mine: a message and a non-zero exit.
ts -q -r "$CAP" -z "expose,filter=frame.time_relative < 2"
check "too short: non-zero exit" rc_not 0
check "too short: says why" err_has '^expose: too few windows'

# No packet at all: tshark never draws with anything to report, so the
# report (an error) comes when tshark shuts the listeners down.
tshark -r "$CAP" -Y "frame.number > 100000" -w "$STAGE/in/empty.pcap" 2>/dev/null
chmod a+r "$STAGE/in/empty.pcap"
ts -q -r "$STAGE/in/empty.pcap" -z expose
check "empty capture: non-zero exit" rc_not 0
check "empty capture: says why" err_has "^expose: no packets to mine"

finish
