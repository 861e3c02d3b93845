# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh -- run tshark with a freshly built expose.so, without installing it.
#
# Source it after setting SO (the built plugin).  It stages the plugin as
# $STAGE/plugins/4.0/epan/expose.so and points WIRESHARK_PLUGIN_DIR there.
# Wireshark ignores that variable (and the personal plugin folder) when it
# runs as root, so as root -- CI runs as root -- tshark runs as user 65534
# with HOME inside the stage.  Inputs may sit under a private home, so
# `stage_in FILE` copies a file into the world-readable stage first.
#
#   check "name" COMMAND...        count a check, report a failure
#   ts ARGS...                     tshark; stdout/stderr in $OUT/$ERR, status in $rc
#   finish                         "N passed, N failed"; exit 1 on any failure

set -u
STAGE=$(mktemp -d /tmp/expose-plugin-test.XXXXXX) || exit 99
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/plugins/4.0/epan" "$STAGE/home" "$STAGE/in" "$STAGE/out" "$STAGE/extcap"
cp "$SO" "$STAGE/plugins/4.0/epan/expose.so" || exit 99
chmod -R a+rX "$STAGE"
chmod 1777 "$STAGE/home" "$STAGE/out"   # tshark (as 65534) writes out= files here
OUT=$STAGE/stdout
ERR=$STAGE/stderr
passed=0
failed=0
rc=0

AS_USER=()
if [ "$(id -u)" -eq 0 ]; then
    AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# A sanitized build (EXPOSE_SANITIZE) makes a sanitized expose.so, which an
# unsanitized tshark loads only with the runtimes preloaded: the build
# writes that environment to sanitizer.env (empty otherwise).
SAN_ENV=()
if [ -n "${EXPOSE_SANITIZER_ENV:-}" ] && [ -s "$EXPOSE_SANITIZER_ENV" ]; then
    while IFS= read -r line; do
        [ -n "$line" ] && SAN_ENV+=("$line")
    done <"$EXPOSE_SANITIZER_ENV"
fi
# The environment of every tshark run with the staged plugin.  No extcap
# helpers (an empty folder): tshark would start each of them to list its
# interfaces, which slows every run, and hangs with a preloaded sanitizer.
TS_ENV=(env HOME="$STAGE/home" WIRESHARK_PLUGIN_DIR="$STAGE/plugins"
        WIRESHARK_EXTCAP_DIR="$STAGE/extcap" "${SAN_ENV[@]}")

# Copy FILE into the stage (world-readable) and print the copy's path.
stage_in() {
    local copy
    copy="$STAGE/in/$(basename "$1")"
    cp "$1" "$copy" && chmod a+r "$copy" && echo "$copy"
}

ts() {
    "${AS_USER[@]}" "${TS_ENV[@]}" tshark "$@" >"$OUT" 2>"$ERR"
    rc=$?
}

pass() { passed=$((passed + 1)); }

fail() {
    failed=$((failed + 1))
    echo "FAIL [$1]"
    shift
    [ $# -gt 0 ] && echo "  $*"
    echo "  tshark stderr:"; head -c 2000 "$ERR" | sed 's/^/    /'
    echo "  tshark stdout:"; head -c 1000 "$OUT" | sed 's/^/    /'
}

# check NAME COMMAND...: the check passes when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass; else fail "$what" "($*)"; fi
}

rc_is() { [ "$rc" -eq "$1" ]; }
rc_not() { [ "$rc" -ne "$1" ]; }
out_has() { grep -q -E -e "$1" "$OUT"; }
err_has() { grep -q -E -e "$1" "$ERR"; }
out_lacks() { ! grep -q -E -e "$1" "$OUT"; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# ---------------------------------------------------------------------
# compare_cli FILE [TSHARK ARGS...]: the CLI's `expose --json FILE` and
# `tshark -r FILE -z expose,format=json` must agree -- both mine the same
# rules (items, activities, support, scores within 1e-9) and the same
# summary counts, or both refuse the trace for the same reason.  Needs
# EXPOSE (the CLI) and RULES_CMP (tests/plugin/rules_cmp).  The output of
# rules_cmp is left in $STAGE/cmp.
compare_cli() {
    local file=$1 name cli_rc
    shift
    name=$(basename "$file")
    "$EXPOSE" -q --json "$file" >"$STAGE/cli.json" 2>"$STAGE/cli.err"
    cli_rc=$?
    ts -q -r "$(stage_in "$file")" -z expose,format=json "$@"
    mv "$OUT" "$STAGE/ts.json"
    : >"$OUT"
    rm -f "$STAGE/in/$name"
    if [ "$cli_rc" -ne 0 ] && [ "$rc" -ne 0 ]; then
        same_refusal "$file" && pass || fail "$name: both refuse the trace, for different reasons"
        # A capture that went bad part way: both still report its first part.
        if [ -s "$STAGE/cli.json" ] || [ -s "$STAGE/ts.json" ]; then
            "$RULES_CMP" --summary "$STAGE/cli.json" "$STAGE/ts.json" >"$STAGE/cmp" 2>&1 && pass ||
                fail "$name: the reports of the readable part disagree" "$(head -30 "$STAGE/cmp")"
        fi
    elif [ "$cli_rc" -ne 0 ] || [ "$rc" -ne 0 ]; then
        fail "$name: exit status CLI $cli_rc, tshark $rc" "CLI said: $(tail -1 "$STAGE/cli.err")"
    elif "$RULES_CMP" --summary "$STAGE/cli.json" "$STAGE/ts.json" >"$STAGE/cmp" 2>&1; then
        pass
        echo "ok: $name: $(head -1 "$STAGE/cmp")"
    else
        fail "$name: CLI and tshark disagree" "$(head -30 "$STAGE/cmp")"
    fi
    rm -f "$STAGE/cli.json" "$STAGE/ts.json"
}

# The last line of each side's error, less "expose: " and what the CLI adds
# in front of the engine's message (the file name, the packet number).
same_refusal() {
    local cli plugin
    cli=$(tail -1 "$STAGE/cli.err" | sed -E -e 's/^expose: //' -e "s|^$1: ||" -e 's/^packet [0-9]+: //')
    plugin=$(grep '^expose: ' "$ERR" | tail -1 | sed -e 's/^expose: //')
    echo "ok: $(basename "$1"): both refuse: $plugin"
    [ -n "$cli" ] && [ "$cli" = "$plugin" ]
}

# known_difference FILE REASON LINE...: a case where the two readers
# legitimately disagree.  The comparison must fail with exactly these
# rules_cmp lines among its output (so a new, unexplained difference
# still fails the test).
known_difference() {
    local file=$1 reason=$2 line
    shift 2
    "$EXPOSE" -q --json "$file" >"$STAGE/cli.json" 2>"$STAGE/cli.err"
    ts -q -r "$(stage_in "$file")" -z expose,format=json
    mv "$OUT" "$STAGE/ts.json"
    : >"$OUT"
    "$RULES_CMP" --summary "$STAGE/cli.json" "$STAGE/ts.json" >"$STAGE/cmp" 2>&1
    echo "known difference: $(basename "$file"): $reason"
    for line in "$@"; do
        grep -q -F -x -e "$line" "$STAGE/cmp" && pass ||
            fail "$(basename "$file"): expected difference missing: $line" "$(head -30 "$STAGE/cmp")"
    done
}

# both_refuse FILE REASON: a trace neither side can mine, where the
# messages legitimately differ (REASON says why); both must fail.
both_refuse() {
    local file=$1 reason=$2 cli_rc
    "$EXPOSE" -q --json "$file" >/dev/null 2>"$STAGE/cli.err"
    cli_rc=$?
    ts -q -r "$(stage_in "$file")" -z expose,format=json
    echo "both refuse $(basename "$file") ($reason):"
    echo "  CLI:    $(tail -1 "$STAGE/cli.err")"
    echo "  tshark: $(grep '^expose: ' "$ERR" | tail -1)"
    if [ "$cli_rc" -ne 0 ] && [ "$rc" -ne 0 ] && grep -q '^expose: ' "$ERR"; then
        pass
    else
        fail "$(basename "$file"): expected both to refuse (CLI $cli_rc, tshark $rc)"
    fi
}
