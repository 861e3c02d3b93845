#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The expose CLI on damaged captures: every capture in ../shared/captures
# and a few generated traces, each cut, bit-flipped, emptied, reduced to its
# header, with absurd snapshot and capture lengths, and (pcapng) unknown,
# oversized and half-written blocks (see mangle.c).  For every file:
#   - expose ends by itself within 60 s with status 0 or 1 (never a
#     signal), prints no crash or sanitizer report;
#   - status 1 comes with an "expose: FILE: ..." message and no report;
#   - damage is reported with the exact number of packets read before it
#     ("capture is truncated after N packets", "corrupt after N packets",
#     "damaged before its first packet"), an intact end of file is not;
#   - a report says how much was read ("Trace: N packets");
#   - a damaged file whose readable part holds at least 3/4 of the packets
#     of a capture that has rules still has rules.
#
# usage: hostile_cli.sh EXPOSE MANGLE EXPOSE_GEN SHARED_CAPTURES_DIR
EXPOSE=$1
MANGLE=$2
GEN=$3
CAPTURES=$4
. "$(dirname "$0")/lib.sh"

make_inputs
make_mangled 1000

# The originals: packets and whether they have rules.
declare -A total has_rules
while read -r f; do
    name=$(basename "$f")
    timeout 120 "$EXPOSE" "$f" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    no_crash "original $name" "$rc" "$WORK/out" "$WORK/err"
    total[$name]=$(sed -n -E 's/^expose: .*: ([0-9]+) packets read.*/\1/p' "$WORK/err" | head -1)
    has_rules[$name]=0
    grep -q '^Cluster 1:' "$WORK/out" && has_rules[$name]=1
    echo "original $name: rc $rc, ${total[$name]:-?} packets, rules: ${has_rules[$name]}"
done <"$WORK/inputs"

check_file() {
    local path=$1 variant=$2 packets=$3 clean=$4 name base what rc
    name=$(basename "$path")
    base=${name%."$variant"}
    what="$name"
    timeout 60 "$EXPOSE" "$path" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    no_crash "$what" "$rc" "$WORK/out" "$WORK/err" || return
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        fail "$what: exit status $rc (expected 0 or 1)"; show "$WORK/err"; return
    fi
    if [ "$rc" -eq 1 ]; then
        grep -q -F "expose: $path: " "$WORK/err" && ok ||
            { fail "$what: exit 1 without an 'expose: FILE:' message"; show "$WORK/err"; }
        # A report with exit 1 only for a capture that went bad part way:
        # the rules of the readable part, and the report says where it ends.
        if [ -s "$WORK/out" ]; then
            grep -q "^WARNING: .*only the first" "$WORK/out" && ok ||
                fail "$what: exit 1 with a report that does not say where mining stopped"
        else
            ok
        fi
    elif [ "$rc" -eq 0 ]; then
        grep -q -E '^Trace: [0-9]+ packets' "$WORK/out" && ok ||
            { fail "$what: exit 0 without a report"; show "$WORK/out"; }
    fi
    [ "$packets" -lt 0 ] && return                  # flipped bytes: no more to say

    case $variant in
    empty)
        grep -q 'empty file (0 bytes)' "$WORK/err" && ok || { fail "$what: no 'empty file'"; show "$WORK/err"; }
        return ;;
    header)
        grep -q 'no packets in capture' "$WORK/err" && ok ||
            { fail "$what: no 'no packets in capture'"; show "$WORK/err"; }
        return ;;
    esac

    local said
    said=$(grep -o -E 'capture is (truncated|corrupt) after [0-9]+ packets|damaged before its first packet' "$WORK/err" | head -1)
    if [ "$clean" -eq 1 ]; then
        [ -z "$said" ] && ok || fail "$what: intact end of file reported as damage: $said"
    elif [ "$packets" -eq 0 ]; then
        [ "$said" = "damaged before its first packet" ] && ok ||
            { fail "$what: expected 'damaged before its first packet'"; show "$WORK/err"; }
    else
        echo "$said" | grep -q -E "after $packets packets\$" && ok ||
            { fail "$what: expected damage after $packets packets, got '${said:-nothing}'"; show "$WORK/err"; }
    fi
    if [ "$rc" -eq 0 ]; then
        grep -q -E "^Trace: $packets packets" "$WORK/out" && ok ||
            { fail "$what: report does not say $packets packets"; grep '^Trace' "$WORK/out"; }
    fi
    # Packets cut to 64 bytes may lose their transport headers: not intact.
    [ "$variant" = snaplen-64 ] && return
    local all=${total[$base]:-0}
    if [ "${has_rules[$base]:-0}" -eq 1 ] && [ $((packets * 4)) -ge $((all * 3)) ]; then
        grep -q '^Cluster 1:' "$WORK/out" && ok ||
            { fail "$what: $packets of $all packets read, but no rules"; show "$WORK/err"; }
    fi
}

while read -r path variant packets clean; do
    check_file "$path" "$variant" "$packets" "$clean"
done <"$WORK/manifest"
finish
