#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lua_install.sh -- `cmake --install` puts expose.lua into Wireshark's Lua
# plugin folder: ~/.local/lib/wireshark/plugins for a normal user, the
# global folder for root (beside <folder>/4.0/epan/expose.so).  Nothing is
# installed on this machine: root's install goes under DESTDIR, the user's
# into a scratch HOME.
#
#   lua_install.sh UI_LUA_BINARY_DIR LUA_SOURCE GLOBAL_LUA_DIR
set -u
BIN=${1:?ui-lua binary dir}
LUA=${2:?expose.lua}
GLOBAL=${3:?global Lua plugin folder}
command -v tshark >/dev/null || { echo "SKIP: tshark is not installed"; exit 77; }

STAGE=$(mktemp -d /tmp/expose-luainst.XXXXXX) || exit 99
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/home" "$STAGE/src" "$STAGE/extcap"
cp "$LUA" "$STAGE/src/expose.lua"
# The install script, pointed at a staged copy of the script (the source
# tree may not be readable by the unprivileged user).
sed -e "s|$LUA|$STAGE/src/expose.lua|g" "$BIN/cmake_install.cmake" >"$STAGE/install.cmake"
chmod -R a+rX "$STAGE"
chmod 1777 "$STAGE/home"

failed=0
fail() { echo "FAIL: $*"; failed=1; }
AS_USER=()
if [ "$(id -u)" -eq 0 ]; then
    AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    if DESTDIR=$STAGE/root cmake -P "$STAGE/install.cmake" >"$STAGE/out" 2>&1 &&
        [ -f "$STAGE/root$GLOBAL/expose.lua" ]; then
        echo "ok: root installs into $GLOBAL/expose.lua"
    else
        fail "root: not installed into $GLOBAL: $(cat "$STAGE/out")"
    fi
fi

personal=$STAGE/home/.local/lib/wireshark/plugins/expose.lua
if "${AS_USER[@]}" env HOME="$STAGE/home" cmake -P "$STAGE/install.cmake" >"$STAGE/out" 2>&1 &&
    [ -f "$personal" ]; then
    echo "ok: a user installs into ~/.local/lib/wireshark/plugins/expose.lua"
else
    fail "user: not installed into ~/.local/lib/wireshark/plugins: $(cat "$STAGE/out")"
fi
cmp -s "$LUA" "$personal" || fail "the installed script differs from the source"

# Installed, Wireshark loads it (tshark lists Lua plugins too; the script
# itself does nothing without a GUI).
"${AS_USER[@]}" env HOME="$STAGE/home" WIRESHARK_EXTCAP_DIR="$STAGE/extcap" \
    tshark -G plugins >"$STAGE/out" 2>"$STAGE/err"
if grep -q "^expose\.lua.*lua script.*$personal" "$STAGE/out"; then
    echo "ok: tshark -G plugins lists the installed expose.lua"
else
    fail "tshark -G plugins does not list $personal: $(grep -i lua "$STAGE/out") $(head -c 500 "$STAGE/err")"
fi
[ -s "$STAGE/err" ] && fail "loading expose.lua without a GUI printed: $(head -c 500 "$STAGE/err")"

[ "$failed" -eq 0 ] && echo "PASS" || exit 1
