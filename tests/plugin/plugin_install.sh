#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `cmake --install` puts expose.so where Wireshark 4.0 looks for it: the
# personal folder ~/.local/lib/wireshark/plugins/4.0/epan for a normal
# user, the global folder for root.  Nothing is installed on this machine:
# root's install goes under DESTDIR, the user's into a scratch HOME.
# usage: plugin_install.sh SO PLUGIN_BINARY_DIR GLOBAL_PLUGIN_DIR
SO=$1
BIN=$2
GLOBAL=$3
. "$(dirname "$0")/lib.sh"

# The install script of the plugin folder, pointed at the staged copy of
# expose.so (the build tree may not be readable by the unprivileged user).
sed -e "s|$SO|$STAGE/plugins/4.0/epan/expose.so|g" "$BIN/cmake_install.cmake" \
    >"$STAGE/install.cmake"
chmod a+r "$STAGE/install.cmake"

if [ "$(id -u)" -eq 0 ]; then
    DESTDIR=$STAGE/root cmake -P "$STAGE/install.cmake" >"$OUT" 2>"$ERR"
    rc=$?
    check "root: install succeeds" rc_is 0
    check "root: into the global folder $GLOBAL/epan" test -f "$STAGE/root$GLOBAL/epan/expose.so"
fi

"${AS_USER[@]}" env HOME="$STAGE/home" cmake -P "$STAGE/install.cmake" >"$OUT" 2>"$ERR"
rc=$?
personal=$STAGE/home/.local/lib/wireshark/plugins/4.0/epan/expose.so
check "user: install succeeds" rc_is 0
check "user: into ~/.local/lib/wireshark/plugins/4.0/epan" test -f "$personal"

# Installed, tshark finds it without WIRESHARK_PLUGIN_DIR.
"${AS_USER[@]}" env HOME="$STAGE/home" WIRESHARK_EXTCAP_DIR="$STAGE/extcap" "${SAN_ENV[@]}" \
    tshark -G plugins >"$OUT" 2>"$ERR"
rc=$?
check "user: tshark -G plugins lists the installed expose.so" out_has "^expose\.so.*$personal"

finish
