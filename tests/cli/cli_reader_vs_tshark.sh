#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The reader against tshark, packet by packet: a mkcap capture, plus the
# public captures in ../shared/captures when that folder exists.  Exit 77
# (skipped) when tshark or python3 is not installed.
# usage: cli_reader_vs_tshark.sh READER_DUMP MKCAP CAPTURE_DIR
DUMP=$1
MKCAP=$2
DIR=$3
for tool in tshark python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "skipped: $tool not installed"
        exit 77
    fi
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/expose-vs-tshark.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
"$MKCAP" mixed "$TMP/mixed.pcap" >/dev/null || exit 99
captures=("$TMP/mixed.pcap")
if [ -d "$DIR" ]; then
    captures+=("$DIR"/*.pcap "$DIR"/*.pcapng)
else
    echo "note: ../shared/captures not found, comparing the synthetic capture only"
fi
python3 "$(dirname "$0")/reader_vs_tshark.py" "$DUMP" "${captures[@]}"
