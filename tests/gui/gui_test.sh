#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# gui_test.sh -- Statistics > eXpose Rules in the real Wireshark Qt GUI,
# under Xvfb.
#
#   gui_test.sh MODE SO LUA GEN ARTIFACTS
#
#   MODE       rules      open a generated dns-web capture, open the window
#                         from the Statistics menu, check the planted rules,
#                         apply a rule's filter and compare the packets the
#                         GUI displays with tshark -Y's count
#              nocapture  no capture open: the window must say so
#              short      a capture too short to mine: the window must say so
#              stale      EXPOSE_PLUGIN_SO names a stale copy of expose.so: the
#                         plugin Wireshark loaded must be used, the copy never
#                         mapped
#              noplugin   no plugin loaded, EXPOSE_PLUGIN_SO names a copy: the
#                         window must refuse it and say why
#              docs       the README pictures (docs/gui-window.png and
#                         docs/rule-graph.png) from the 'all' scenario
#   SO         the built expose.so        LUA   ui-lua/expose.lua
#   GEN        tests/gen's expose-gen     ARTIFACTS  where screenshots go
#
# The plugin and the script are staged as <stage>/plugins/4.0/epan/expose.so
# and <stage>/plugins/expose.lua and found through WIRESHARK_PLUGIN_DIR.
# Wireshark ignores that variable (and Lua in the personal folder) as root,
# so as root it runs as user 65534 with HOME in the stage.
#
# The menu item is found on screen: the Statistics menu is opened with
# Alt+S, the screenshot is read by tesseract and "eXpose Rules" is clicked.
# The script's test hook (EXPOSE_GUI_TEST, see ui-lua/expose.lua) writes
# the window's text and performs the EXPOSE_GUI_ACTIONS through the same
# functions as the window's buttons.  The number of displayed packets is
# read from the status bar ("Packets: N · Displayed: M") by OCR; the
# "Packets" figure must equal capinfos' count, which proves the reading.
#
# Exit status: 0 pass, 1 fail, 77 skipped (no Xvfb, Wireshark Qt, ...).

set -u
MODE=${1:?mode}
SO=${2:?expose.so}
LUA=${3:?expose.lua}
GEN=${4:?expose-gen}
ART=${5:?artifact folder}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILED=1; }
die() { echo "FAIL: $*"; exit 1; }
FAILED=0

for tool in Xvfb wireshark xdotool import convert tesseract tshark capinfos; do
    command -v "$tool" >/dev/null 2>&1 ||
        skip "$tool is not installed (apt-get install xvfb wireshark-qt xdotool imagemagick tesseract-ocr tshark)"
done
[ -f "$SO" ] || die "$SO is not built"
[ -x "$GEN" ] || skip "expose-gen ($GEN) is not built"
nm -D --defined-only "$SO" 2>/dev/null | grep -q ' luaopen_expose$' ||
    skip "expose.so was built without its Lua module (liblua5.2-dev missing)"

mkdir -p "$ART" || die "cannot create $ART"
STAGE=$(mktemp -d /tmp/expose-gui.XXXXXX) || die "mktemp"
XVFB_PID=
WS_PID=
cleanup() {
    [ -n "$WS_PID" ] && kill "$WS_PID" 2>/dev/null
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$STAGE"
}
trap cleanup EXIT

mkdir -p "$STAGE/plugins/4.0/epan" "$STAGE/home" "$STAGE/t" "$STAGE/in" "$STAGE/extcap" \
         "$STAGE/stale"
if [ "$MODE" != noplugin ]; then
    cp "$SO" "$STAGE/plugins/4.0/epan/expose.so" || die "cannot stage $SO"
fi
cp "$SO" "$STAGE/stale/expose.so" || die "cannot copy $SO"
ENV_SO=()
case $MODE in stale | noplugin) ENV_SO=(EXPOSE_PLUGIN_SO="$STAGE/stale/expose.so") ;; esac
cp "$LUA" "$STAGE/plugins/expose.lua" || die "cannot stage $LUA"
chmod -R a+rX "$STAGE"
chmod 1777 "$STAGE/home" "$STAGE/t"
T=$STAGE/t

# ------------------------------------------------------------ the capture
CAPTURE=
WS_OPTS=()
ACTIONS=
case $MODE in
rules)
    "$GEN" --quiet dns-web "$STAGE/in/dns-web.pcap" || die "expose-gen dns-web failed"
    CAPTURE=$STAGE/in/dns-web.pcap
    # Rules 1-8 join the two generics, whose filters select every packet
    # of this trace; rule 9 is one client's, so its filter is selective.
    ACTIONS="filter rule 9;copy cluster 1;graph;export"
    ;;
docs)
    "$GEN" --quiet all "$STAGE/in/all.pcap" || die "expose-gen all failed"
    CAPTURE=$STAGE/in/all.pcap
    WS_OPTS=(-o expose.alpha:0.1)   # the strong rules only: a readable graph
    ACTIONS="graph;filter cluster 1"   # the last action's notice tops the window
    ;;
short)
    "$GEN" --quiet short "$STAGE/in/short.pcap" || die "expose-gen short failed"
    CAPTURE=$STAGE/in/short.pcap
    ;;
stale | noplugin)
    "$GEN" --quiet dns-web "$STAGE/in/dns-web.pcap" || die "expose-gen dns-web failed"
    CAPTURE=$STAGE/in/dns-web.pcap
    ;;
nocapture) ;;
*) die "unknown mode $MODE" ;;
esac
chmod -R a+rX "$STAGE/in"
TOTAL=0
[ -n "$CAPTURE" ] && TOTAL=$(capinfos -M -c -T "$CAPTURE" | awk -F'\t' 'NR==2 {print $2}')

# ------------------------------------------------------------ X and Wireshark
exec 3>"$STAGE/display"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp >"$STAGE/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
for _ in $(seq 50); do [ -s "$STAGE/display" ] && break; sleep 0.1; done
[ -s "$STAGE/display" ] || skip "Xvfb did not start: $(head -c 300 "$STAGE/xvfb.log")"
export DISPLAY=:$(head -1 "$STAGE/display")

AS_USER=()
[ "$(id -u)" -eq 0 ] && AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# A sanitized build's plugin loads only with the runtimes preloaded (see
# cmake/sanitize.cmake; the file is empty otherwise).
SAN_ENV=()
if [ -n "${EXPOSE_SANITIZER_ENV:-}" ] && [ -s "$EXPOSE_SANITIZER_ENV" ]; then
    while IFS= read -r line; do [ -n "$line" ] && SAN_ENV+=("$line"); done <"$EXPOSE_SANITIZER_ENV"
fi
# No interface list at start-up (dumpcap is slow, and the menus stay
# disabled until it is done).
WS_ARGS=(-o capture.no_interface_load:TRUE "${WS_OPTS[@]}")
[ -n "$CAPTURE" ] && WS_ARGS+=(-r "$CAPTURE")
"${AS_USER[@]}" env HOME="$STAGE/home" WIRESHARK_PLUGIN_DIR="$STAGE/plugins" \
    WIRESHARK_EXTCAP_DIR="$STAGE/extcap" DISPLAY="$DISPLAY" "${ENV_SO[@]}" "${SAN_ENV[@]}" \
    EXPOSE_GUI_TEST="$T" EXPOSE_GUI_ACTIONS="$ACTIONS" \
    timeout 120 wireshark "${WS_ARGS[@]}" >"$STAGE/wireshark.log" 2>&1 &
WS_PID=$!

# wait_for SECONDS COMMAND...: poll every 0.2 s
wait_for() {
    local n=$(($1 * 5))
    shift
    while [ "$n" -gt 0 ]; do
        "$@" && return 0
        kill -0 "$WS_PID" 2>/dev/null || return 1
        sleep 0.2
        n=$((n - 1))
    done
    return 1
}

main_window() {
    local title=${CAPTURE:+$(basename "$CAPTURE")}
    xdotool search --name "^${title:-The Wireshark Network Analyzer}\$" 2>/dev/null | head -1
}

if [ -n "$CAPTURE" ]; then
    # The hook rewrites "loaded" each time Wireshark draws the taps, which
    # it also does while reading: wait for the whole file.
    all_loaded() { [ "$(cat "$T/loaded" 2>/dev/null)" = "$TOTAL" ]; }
    wait_for 90 all_loaded ||
        die "Wireshark did not read the $TOTAL packets (read: $(cat "$T/loaded" 2>/dev/null)); log: $(head -c 1500 "$STAGE/wireshark.log")"
    echo "ok: Wireshark read all $TOTAL packets"
fi
has_main_window() { [ -n "$(main_window)" ]; }
wait_for 60 has_main_window || die "no Wireshark main window; log: $(head -c 1500 "$STAGE/wireshark.log")"
MAIN=$(main_window)
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1150 900
sleep 1

# ------------------------------------------------------------ the menu
# Open Statistics (Alt+S), find "eXpose Rules" on the screenshot, click it.
open_menu_item() {
    local try words x y
    for try in $(seq 10); do
        xdotool windowfocus "$MAIN" 2>/dev/null
        xdotool key --clearmodifiers Escape
        sleep 0.3
        xdotool key --clearmodifiers alt+s
        sleep 1
        import -window root "$STAGE/menu.png"
        convert "$STAGE/menu.png" -colorspace Gray -resize 200% "$STAGE/menu2.png"
        tesseract "$STAGE/menu2.png" "$STAGE/menu" --psm 11 tsv >/dev/null 2>&1
        # TSV: ... left top width height conf text; "eXpose" or else "Rules"
        words=$(awk -F'\t' 'NR > 1 && $12 ~ /[xX]pose/ {print $7, $8, $9, $10; exit}' "$STAGE/menu.tsv")
        [ -z "$words" ] &&
            words=$(awk -F'\t' 'NR > 1 && $12 == "Rules" {print $7, $8, $9, $10; exit}' "$STAGE/menu.tsv")
        if [ -n "$words" ]; then
            set -- $words
            x=$((($1 + $3 / 2) / 2))
            y=$((($2 + $4 / 2) / 2))
            echo "ok: Statistics > eXpose Rules found at $x,$y"
            xdotool mousemove "$x" "$y" click 1
            return 0
        fi
        sleep 1
    done
    cp "$STAGE/menu.png" "$ART/$MODE-menu.png"
    return 1
}
open_menu_item || die "Statistics > eXpose Rules is not in the menu (see $ART/$MODE-menu.png)"

wait_for 60 test -s "$T/window.txt" || die "the eXpose window did not open; log: $(head -c 1500 "$STAGE/wireshark.log")"
if [ -n "$ACTIONS" ]; then
    wait_for 60 test -s "$T/actions.done" || die "the window's actions did not finish"
fi
cp "$T/window.txt" "$ART/$MODE-window.txt"
WIN=$(xdotool search --name "eXpose Rules" 2>/dev/null | head -1)
[ -n "$WIN" ] || fail "no window titled eXpose Rules"
if [ -n "$WIN" ]; then
    xdotool windowmove "$WIN" 470 40 windowsize "$WIN" 1120 780
fi
sleep 1

# ------------------------------------------------------------ checks
has() { grep -q -F -e "$1" "$T/window.txt"; }

# The status bar's "Packets: N · Displayed: M", read by OCR: "N M".
status_counts() {
    local X Y WIDTH HEIGHT SCREEN WINDOW scale text
    eval "$(xdotool getwindowgeometry --shell "$MAIN")"
    import -window root -crop "${WIDTH}x26+${X}+$((Y + HEIGHT - 26))" +repage "$STAGE/status.png"
    for scale in 300 200 400; do
        convert "$STAGE/status.png" -colorspace Gray -resize "$scale%" "$STAGE/status-big.png"
        text=$(tesseract "$STAGE/status-big.png" - --psm 7 2>/dev/null)
        if [[ $text =~ Packets:\ *([0-9]+).*Displayed:\ *([0-9]+) ]]; then
            echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
            return 0
        fi
    done
    echo "unreadable: $text" >&2
    return 1
}

case $MODE in
rules | docs)
    for section in SUMMARY "CLUSTERS, strongest first" HOSTS SCANS; do
        has "$section" || fail "the window has no $section section"
    done
    has "$TOTAL read" || fail "the summary does not say $TOTAL packets were read"
    if [ "$MODE" = rules ]; then
        # SCENARIOS.md: *.* : 10.1.0.80.80 => *.* : 10.1.0.53.53, support 20,
        # in all four activity combinations, and the reverse.
        for act in "tcp new" "tcp present"; do
            for other in "udp new" "udp present"; do
                for line in "*.* : 10.1.0.80.80 ($act)  =>  *.* : 10.1.0.53.53 ($other)" \
                            "*.* : 10.1.0.53.53 ($other)  =>  *.* : 10.1.0.80.80 ($act)"; do
                    grep -B1 -F -x -e "      $line" "$T/window.txt" | grep -q "support 20 " ||
                        fail "planted rule missing (with support 20): $line"
                done
            done
        done
        has "host " || fail "no host profile listed"
    fi
    if grep -q FAILED "$T/actions.done"; then
        fail "an action failed: $(grep FAILED "$T/actions.done")"
    fi
    FILTER=$(cat "$T/filter.txt" 2>/dev/null)
    [ -n "$FILTER" ] || die "no display filter was applied"
    echo "ok: applied filter: $FILTER"
    WANT=$(tshark -r "$CAPTURE" -Y "$FILTER" 2>/dev/null | wc -l)
    echo "ok: tshark -Y counts $WANT of $TOTAL packets"
    if [ "$WANT" -le 0 ] || [ "$WANT" -ge "$TOTAL" ]; then
        fail "the filter selects $WANT of $TOTAL packets: a count cannot show it was applied"
    fi
    # Wait until the GUI has refiltered (Displayed changes from the total).
    GOT=
    for _ in $(seq 40); do
        if counts=$(status_counts); then
            set -- $counts
            if [ "$1" = "$TOTAL" ] && [ "$2" != "$TOTAL" ]; then
                GOT=$2
                break
            fi
        fi
        sleep 0.5
    done
    cp "$STAGE/status.png" "$ART/$MODE-statusbar.png"
    if [ -z "$GOT" ]; then
        fail "the status bar never showed 'Packets: $TOTAL' with a filtered count (last: ${counts:-unreadable})"
    elif [ "$GOT" != "$WANT" ]; then
        fail "the GUI displays $GOT packets, tshark -Y counts $WANT"
    else
        echo "ok: the GUI displays $GOT packets, as tshark -Y does"
    fi
    [ -s "$T/graph.svg" ] && grep -q "<svg" "$T/graph.svg" && grep -q "10\.1\.0\." "$T/graph.svg" ||
        fail "the rule graph (SVG) was not drawn"
    cp "$T/graph.svg" "$ART/$MODE-rule-graph.svg" 2>/dev/null
    [ -f "$T/graph.dot" ] && dot -Tpng -o "$ART/$MODE-rule-graph.png" "$T/graph.dot" 2>/dev/null
    if [ "$MODE" = rules ]; then
        grep -q '"rules"' "$T/report.json" 2>/dev/null || fail "Export JSON wrote no report"
    fi
    ;;
nocapture)
    has "no capture file is open" || fail "the window does not say that no capture is open"
    ;;
short)
    has "This capture is too short to mine" && has "too few windows" ||
        fail "the window does not say the capture is too short to mine"
    ;;
stale)
    has "CLUSTERS, strongest first" && has "rule 1 " ||
        fail "the window shows no rules"
    WS=$(pgrep -P "$WS_PID" | head -1)
    MAPS=$(cat "/proc/$WS/maps" 2>/dev/null)
    [ -n "$MAPS" ] || fail "cannot read Wireshark's memory map"
    grep -q "$STAGE/plugins/4.0/epan/expose.so" <<<"$MAPS" ||
        fail "the installed plugin is not mapped"
    if grep -q "$STAGE/stale/expose.so" <<<"$MAPS"; then
        fail "the stale copy named by EXPOSE_PLUGIN_SO was loaded"
    else
        echo "ok: the stale copy in EXPOSE_PLUGIN_SO was not loaded"
    fi
    ;;
noplugin)
    has "is not the plugin Wireshark loaded" ||
        fail "the window does not refuse the copy that Wireshark did not load"
    ;;
esac

# ------------------------------------------------------------ screenshots
import -window root "$ART/$MODE-screen.png"
[ -n "$WIN" ] && import -window "$WIN" "$ART/$MODE-window.png"
echo "artifacts: $ART/$MODE-*"
if [ "$FAILED" -ne 0 ]; then
    echo "--- window text:"
    head -40 "$T/window.txt"
    echo "--- wireshark log:"
    head -c 2000 "$STAGE/wireshark.log"
    exit 1
fi
echo "PASS: $MODE"
exit 0
