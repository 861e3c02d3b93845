#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# expose mining synthetic captures end to end: summary line, outputs,
# reordering, engine errors.  Needs a working mining core.
# usage: cli_mine.sh EXPOSE MKCAP
EXPOSE=$1
MKCAP=$2
. "$(dirname "$0")/lib.sh"

n=$(mkcap trace "$TMP/trace.pcap")

t "text report"
run "$TMP/trace.pcap"
expect_rc 0
expect_err "^expose: $TMP/trace.pcap: $n packets read, $n mined, 0 skipped; read in [0-9.]+ s \\([0-9.]+ M packets/s\\); mined in [0-9.]+ s$"
expect_out "."

t "JSON report"
run --json "$TMP/trace.pcap"
expect_rc 0
expect_out "^[[:space:]]*\{"
if command -v python3 >/dev/null; then
    checks=$((checks + 1))
    python3 -m json.tool <"$TMP/out" >/dev/null || fail "stdout is not valid JSON"
fi

t "quiet"
run --quiet "$TMP/trace.pcap"
expect_rc 0
expect_empty_err
expect_out "."

t "standard input"
"$EXPOSE" - <"$TMP/trace.pcap" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 0
expect_err "^expose: -: $n packets read, $n mined"

t "--output writes the file, not stdout"
run -o "$TMP/report.json" --json "$TMP/trace.pcap"
expect_rc 0
expect_empty_out
checks=$((checks + 1))
[ -s "$TMP/report.json" ] && head -c 200 "$TMP/report.json" | grep -q '{' ||
    fail "report.json missing or not JSON"

t "--output text equals stdout text"
run --output "$TMP/report.txt" "$TMP/trace.pcap"
expect_rc 0
"$EXPOSE" --quiet "$TMP/trace.pcap" >"$TMP/stdout.txt" 2>/dev/null
checks=$((checks + 1))
# the report states how long mining took: mask that wall time
untimed() { sed -E 's/[0-9]+\.[0-9]+ s$/T s/' "$1"; }
cmp -s <(untimed "$TMP/report.txt") <(untimed "$TMP/stdout.txt") ||
    fail "--output text differs from stdout"

t "--graph .dot"
run --quiet --graph "$TMP/rules.dot" "$TMP/trace.pcap"
expect_rc 0
checks=$((checks + 1))
grep -q "digraph" "$TMP/rules.dot" 2>/dev/null || fail "rules.dot is not Graphviz source"

t "--graph .svg"
if command -v dot >/dev/null; then
    run --quiet --graph "$TMP/rules.svg" "$TMP/trace.pcap"
    expect_rc 0
    checks=$((checks + 1))
    grep -q "<svg" "$TMP/rules.svg" 2>/dev/null || fail "rules.svg is not SVG"
else
    echo "skipped [--graph .svg]: Graphviz dot not installed"
fi

t "--output into a missing directory"
run -o "$TMP/no/such/dir/r.txt" "$TMP/trace.pcap"
expect_rc 1
expect_err "^expose: $TMP/no/such/dir/r.txt: "

t "standard output cannot be written"
if [ -w /dev/full ]; then
    "$EXPOSE" --quiet "$TMP/trace.pcap" >/dev/full 2>"$TMP/err"
    rc=$?
    expect_rc 1
    expect_err "^expose: cannot write the report to standard output"
else
    echo "skipped [standard output cannot be written]: no /dev/full"
fi

t "skip reasons are counted"
n=$(mkcap mixed "$TMP/mixed.pcap")
run "$TMP/mixed.pcap"
expect_rc 0
expect_err "$n packets read, $((n - 11)) mined, 11 skipped \(not IP 5, other protocol 3, fragment 2, malformed 1\); read in "

t "packets slightly out of order are counted"
n=$(mkcap reorder "$TMP/reorder.pcap")
run "$TMP/reorder.pcap"
expect_rc 0
expect_err "$n packets read, $n mined, 0 skipped; 4 packets out of time order \(up to 0\.2[0-9]* s back\)"

t "timestamps jumping back 30 s stop the run"
mkcap backwards "$TMP/back.pcap" 100 >/dev/null
run "$TMP/back.pcap"
expect_rc 1
expect_err "^expose: $TMP/back.pcap: packet 100: ."
expect_empty_out

t "a 3-second trace is too short to mine"
mkcap short "$TMP/short.pcap" >/dev/null
run "$TMP/short.pcap"
expect_rc 1
expect_err "^expose: $TMP/short.pcap: .*window"
expect_empty_out

t "the same trace mines with smaller windows"
run --window 0.1 "$TMP/short.pcap"
expect_rc 0

finish
