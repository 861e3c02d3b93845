#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Reports are never half-written: --output and --graph write a temporary
# file and rename it; a failure to write says so, exits 1 and leaves no
# temporary file behind; a success leaves exactly the target.  Targets that
# are not regular files (devices, FIFOs) are written in place, never
# replaced.
#
# usage: output_atomic.sh EXPOSE MKCAP
EXPOSE=$1
MKCAP=$2
. "$(dirname "$0")/../cli/lib.sh"

D=$TMP/d
mkdir "$D"
"$MKCAP" trace "$TMP/t.pcap" >/dev/null || exit 99

# Only these names may be in $D (besides what a check made on purpose).
only_files() {
    checks=$((checks + 1))
    local got want
    got=$(cd "$D" && ls -A | sort | tr '\n' ' ')
    want=""
    [ $# -gt 0 ] && want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "files in the output folder: '$got', expected '$want'"
}

t "report into a folder that does not exist"
run -q -o "$D/nope/report.txt" "$TMP/t.pcap"
expect_rc 1
expect_err "^expose: $D/nope/report.txt: cannot write $D/nope/report.txt: No such file or directory$"
expect_empty_out
only_files

t "report onto a directory"
mkdir "$D/adir"
run -q -o "$D/adir" "$TMP/t.pcap"
expect_rc 1
expect_err "^expose: $D/adir: cannot write $D/adir: Is a directory$"
only_files adir
rmdir "$D/adir"

t "JSON report onto a directory"
mkdir "$D/adir.json"
run -q --json -o "$D/adir.json" "$TMP/t.pcap"
expect_rc 1
expect_err "Is a directory"
only_files adir.json
rmdir "$D/adir.json"

t "graph into a folder that does not exist"
run -q --graph "$D/nope/g.dot" -o "$D/r.txt" "$TMP/t.pcap"
expect_rc 1
expect_err "^expose: $D/nope/g.dot: cannot write"
only_files r.txt
rm -f "$D/r.txt"

t "graph onto a directory"
mkdir "$D/g.dot"
run -q --graph "$D/g.dot" "$TMP/t.pcap"
expect_rc 1
expect_err "^expose: $D/g.dot: cannot write $D/g.dot: Is a directory$"
only_files g.dot
rmdir "$D/g.dot"

t "report to a full standard output"
"$EXPOSE" -q "$TMP/t.pcap" >/dev/full 2>"$TMP/err"
rc=$?
expect_rc 1
expect_err "^expose: cannot write the report to standard output: No space left on device$"

t "JSON to a full standard output"
"$EXPOSE" -q --json "$TMP/t.pcap" >/dev/full 2>"$TMP/err"
rc=$?
expect_rc 1
expect_err "cannot write the report to standard output"

if [ "$(id -u)" -ne 0 ]; then
    t "report into a read-only folder"
    mkdir "$D/ro" && chmod 555 "$D/ro"
    run -q -o "$D/ro/r.txt" "$TMP/t.pcap"
    expect_rc 1
    expect_err "cannot write $D/ro/r.txt: Permission denied"
    checks=$((checks + 1))
    [ -z "$(ls -A "$D/ro")" ] || fail "leftovers in the read-only folder"
    chmod 755 "$D/ro" && rmdir "$D/ro"
else
    echo "skipped [read-only folder]: running as root, permissions do not stop writing"
fi

t "success: exactly the targets, nothing else"
run -q -o "$D/r.txt" --graph "$D/g.dot" "$TMP/t.pcap"
expect_rc 0
expect_empty_err
only_files r.txt g.dot
checks=$((checks + 1))
head -1 "$D/r.txt" | grep -q '^eXpose ' || fail "r.txt is not a report"
checks=$((checks + 1))
grep -q '^digraph\|^graph' "$D/g.dot" || fail "g.dot is not Graphviz source"

t "success: an old report is replaced whole"
printf 'old report\n%.0s' $(seq 1 5000) >"$D/r.txt"
run -q --json -o "$D/r.txt" "$TMP/t.pcap"
expect_rc 0
only_files r.txt g.dot
checks=$((checks + 1))
[ "$(head -c 1 "$D/r.txt")" = "{" ] && [ "$(tail -c 2 "$D/r.txt" | head -c 1)" = "}" ] &&
    ! grep -q 'old report' "$D/r.txt" || fail "r.txt is not exactly the new JSON report"
rm -f "$D"/*

t "a symbolic link to a report stays a link"
echo old >"$D/real.txt"
ln -s real.txt "$D/link.txt"
run -q -o "$D/link.txt" "$TMP/t.pcap"
expect_rc 0
checks=$((checks + 1))
[ -L "$D/link.txt" ] && head -1 "$D/real.txt" | grep -q '^eXpose ' ||
    fail "the link was replaced, or its target not written"
only_files link.txt real.txt
rm -f "$D"/*

t "a FIFO is written in place, not replaced"
mkfifo "$D/fifo"
timeout 30 cat "$D/fifo" >"$TMP/fifo.out" &     # never opened: gives up
reader=$!
timeout 30 "$EXPOSE" -q -o "$D/fifo" "$TMP/t.pcap" >"$TMP/out" 2>"$TMP/err"
rc=$?
wait "$reader"
expect_rc 0
checks=$((checks + 1))
[ -p "$D/fifo" ] || fail "the FIFO was replaced by a file"
checks=$((checks + 1))
head -1 "$TMP/fifo.out" | grep -q '^eXpose ' || fail "the report did not come through the FIFO"
only_files fifo
rm -f "$D/fifo"

if [ "$(id -u)" -eq 0 ] && mknod "$D/full" c 1 7 2>/dev/null; then
    t "a full device is written in place, and the error reported"
    run -q -o "$D/full" "$TMP/t.pcap"
    expect_rc 1
    expect_err "^expose: $D/full: cannot write $D/full: No space left on device$"
    checks=$((checks + 1))
    [ -c "$D/full" ] || fail "the device node was replaced by a file"
    only_files full

    t "a null device is written in place"
    mknod "$D/null" c 1 3
    run -q --graph "$D/null.dot" -o "$D/null" "$TMP/t.pcap"
    expect_rc 0
    checks=$((checks + 1))
    [ -c "$D/null" ] || fail "the device node was replaced by a file"
    only_files full null null.dot
    rm -f "$D"/*
else
    echo "skipped [device targets]: needs root (mknod in the test folder)"
fi

finish
