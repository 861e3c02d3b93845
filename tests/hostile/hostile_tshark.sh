#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tshark -z expose on damaged captures (the same mangled files as
# hostile_cli.sh, fewer of them: tshark takes a while to start).  tshark
# prints its own message about a damaged file and may exit 2; what must
# hold:
#   - tshark ends by itself within 60 s, not by a signal, and nothing prints
#     a crash or sanitizer report (the plugin is the sanitized one in an
#     EXPOSE_SANITIZE build: tshark runs with tests/sanitizer-env.sh);
#   - whenever the CLI read at least one packet of the file, the plugin
#     prints its report or an "expose: ..." message for the readable part;
#   - for a file cut short, tshark's report counts the packets before the cut.
#
# usage: hostile_tshark.sh EXPOSE_SO MANGLE EXPOSE_GEN SHARED_CAPTURES_DIR EXPOSE
# Exits 77 (skipped) when tshark is not installed.
SO=$1
MANGLE=$2
GEN=$3
CAPTURES=$4
EXPOSE=$5
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

command -v tshark >/dev/null || { echo "skipped: tshark not installed"; exit 77; }
[ -f "$SO" ] || { echo "skipped: $SO not built"; exit 77; }

# Stage the plugin as <dir>/4.0/epan/expose.so (see scripts/tshark-expose.sh).
# As root, Wireshark ignores WIRESHARK_PLUGIN_DIR: run tshark as 65534.
mkdir -p "$WORK/plugins/4.0/epan" "$WORK/home" "$WORK/extcap"
cp "$SO" "$WORK/plugins/4.0/epan/expose.so"
chmod -R a+rX "$WORK/plugins"
chmod 1777 "$WORK/home"
AS_USER=()
[ "$(id -u)" -eq 0 ] && AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
mapfile -t SAN_ENV < <(bash "$here/../sanitizer-env.sh" "$SO")
[ ${#SAN_ENV[@]} -gt 0 ] && echo "sanitized plugin: tshark runs with ${SAN_ENV[*]}"

# No extcap helpers (an empty folder): tshark would start each of them,
# which is slow, and they hang with a preloaded sanitizer runtime.
ts() {
    timeout 60 "${AS_USER[@]}" env HOME="$WORK/home" WIRESHARK_PLUGIN_DIR="$WORK/plugins" \
        WIRESHARK_EXTCAP_DIR="$WORK/extcap" "${SAN_ENV[@]}" tshark "$@" \
        >"$WORK/ts.out" 2>"$WORK/ts.err"
}

# Keep the run short: the small shared captures and two generated traces;
# every structural variant, two cuts, two flips.
make_inputs
grep -v -E 'mta-2017|tz-sumstat|nfpc-evidence|gen-loadbalance|gen-backend' "$WORK/inputs" >"$WORK/inputs.small"
mv "$WORK/inputs.small" "$WORK/inputs"
make_mangled 1000
grep -v -E ' (cut-3|cut-4|flip-1|empty) ' "$WORK/manifest" >"$WORK/manifest.small"
grep -E ' empty ' "$WORK/manifest" | head -1 >>"$WORK/manifest.small"   # one empty file is enough

n=0
while read -r path variant packets clean; do
    n=$((n + 1))
    name=$(basename "$path")
    # What the CLI makes of the same file.
    "$EXPOSE" -q "$path" >/dev/null 2>"$WORK/cli.err"
    cli_read=$packets
    if [ "$packets" -lt 0 ]; then
        cli_read=0
        grep -q -E 'truncated after [1-9]|corrupt after [1-9]' "$WORK/cli.err" && cli_read=1
        grep -q -E '^expose: [^ ]+: (too few windows|nothing to mine|packet [0-9]+:)' "$WORK/cli.err" && cli_read=1
        [ ! -s "$WORK/cli.err" ] && cli_read=1
    fi

    ts -q -r "$path" -z expose
    rc=$?
    no_crash "tshark $name" "$rc" "$WORK/ts.out" "$WORK/ts.err" || continue
    if [ "$cli_read" -gt 0 ]; then
        if grep -q -E '^eXpose ' "$WORK/ts.out" || grep -q -E '^expose: ' "$WORK/ts.err" "$WORK/ts.out"; then
            ok
        else
            fail "tshark $name: no expose report or message (exit $rc)"
            show "$WORK/ts.err"
        fi
    fi
    case $variant in
    cut-*|midblock)
        if [ "$packets" -gt 0 ] && grep -q '^Trace: ' "$WORK/ts.out"; then
            grep -q -E "^Trace: $packets packets" "$WORK/ts.out" && ok ||
                fail "tshark $name: report does not count the $packets packets before the cut: $(grep '^Trace' "$WORK/ts.out")"
        fi ;;
    esac
    echo "tshark $name: exit $rc; $(grep -h -m1 -E '^(Trace|expose): ' "$WORK/ts.out" "$WORK/ts.err" | head -1 | cut -c1-120)"
done <"$WORK/manifest.small"
echo "$n mangled captures through tshark -z expose"

# out= is written atomically too: a failure says so, leaves nothing behind.
mkdir -m 1777 "$WORK/out"
good=$(awk '$2 == "snaplen" { print $1; exit }' "$WORK/manifest")
ts -q -r "$good" -z "expose,min-windows=2,out=$WORK/out/missing/report.txt"
no_crash "tshark out= into a missing folder" "$?" "$WORK/ts.out" "$WORK/ts.err"
grep -q -E '^expose: .*cannot write .*/out/missing/report.txt' "$WORK/ts.err" && ok ||
    { fail "tshark out= into a missing folder: no 'cannot write' message"; show "$WORK/ts.err"; }
ts -q -r "$good" -z "expose,min-windows=2,format=json,out=$WORK/out/report.json"
no_crash "tshark out=" "$?" "$WORK/ts.out" "$WORK/ts.err"
[ "$(ls -A "$WORK/out")" = "report.json" ] && [ "$(head -c 1 "$WORK/out/report.json")" = "{" ] && ok ||
    fail "tshark out=: expected exactly report.json, found: $(ls -A "$WORK/out" | tr '\n' ' ')"
finish
