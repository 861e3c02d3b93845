# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh -- shared by the hostile-capture tests: the inputs (every capture
# in ../shared/captures plus generated traces), their mangled versions, and
# the checks every run must pass.  Source it after setting MANGLE, GEN and
# CAPTURES; it sets WORK (a private directory, removed on exit).
#
#   make_inputs             originals into $WORK/in, one path per line in $WORK/inputs
#   make_mangled SEED       mangled versions into $WORK/m, manifest in $WORK/manifest
#                           (lines: PATH VARIANT PACKETS CLEAN, see mangle.c)
#   no_crash WHAT RC OUT ERR  the run ended by itself (no signal, no timeout)
#                           and neither stream holds a crash or sanitizer report
#   fail MSG / ok / finish

set -u
WORK=$(mktemp -d /tmp/expose-hostile.XXXXXX) || exit 99
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
passed=0
failed=0

ok() { passed=$((passed + 1)); }

fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

# show FILE: its first lines, indented (for failure reports)
show() { head -c 1500 "$1" | sed 's/^/    /'; }

finish() {
    echo "$passed checks passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0
    exit 1
}

# Every capture in ../shared/captures (never copied into the repository),
# and generated traces in several formats and link types.
make_inputs() {
    mkdir -p "$WORK/in"
    : >"$WORK/inputs"
    if [ -d "$CAPTURES" ]; then
        for f in "$CAPTURES"/*.pcap "$CAPTURES"/*.pcapng; do
            [ -f "$f" ] && echo "$f" >>"$WORK/inputs"
        done
    else
        echo "note: $CAPTURES not found: generated traces only"
    fi
    if [ -x "$GEN" ]; then
        "$GEN" --quiet --duration 60 dns-web "$WORK/in/gen-dns-web.pcap"
        "$GEN" --quiet --duration 60 --format pcapng --nsec --swapped ipv6 "$WORK/in/gen-ipv6.pcapng"
        "$GEN" --quiet --duration 60 --linktype sll2 --format pcapng backend "$WORK/in/gen-backend-sll2.pcapng"
        "$GEN" --quiet --duration 60 --linktype vlan --nsec loadbalance "$WORK/in/gen-loadbalance-vlan.pcap"
        ls "$WORK"/in/gen-* >>"$WORK/inputs"
    else
        echo "note: $GEN not built: no generated traces"
    fi
    [ -s "$WORK/inputs" ] || { echo "no inputs at all"; exit 1; }
}

make_mangled() {
    local seed=$1 f i=0
    mkdir -p "$WORK/m"
    : >"$WORK/manifest"
    while read -r f; do
        i=$((i + 1))
        "$MANGLE" $((seed + i)) "$f" "$WORK/m" >>"$WORK/manifest" ||
            { fail "mangle could not read $f"; }
    done <"$WORK/inputs"
    chmod -R a+rX "$WORK/m"
    echo "$(wc -l <"$WORK/manifest") mangled captures from $(wc -l <"$WORK/inputs") inputs"
}

# Sanitizer reports, and what glibc or the shell print when a program dies.
CRASH_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault|Aborted|core dumped|Bus error|Floating point exception|stack smashing detected|double free or corruption|(malloc|free|realloc)\(\): '

no_crash() {
    local what=$1 rc=$2 out=$3 err=$4
    if [ "$rc" -eq 124 ]; then
        fail "$what: did not finish within the time limit"
        return 1
    fi
    if [ "$rc" -ge 128 ]; then
        fail "$what: killed by signal $((rc - 128))"
        show "$err"
        return 1
    fi
    if grep -q -E -e "$CRASH_RE" "$out" "$err"; then
        fail "$what: crash or sanitizer report"
        grep -h -E -A8 -e "$CRASH_RE" "$err" "$out" | head -40 | sed 's/^/    /'
        return 1
    fi
    ok
    return 0
}
