#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# expose on captures it cannot (or can only partly) read.
# usage: cli_input_errors.sh EXPOSE MKCAP
EXPOSE=$1
MKCAP=$2
. "$(dirname "$0")/lib.sh"

t "missing file"
run "$TMP/nope.pcap"
expect_rc 1
expect_err "^expose: $TMP/nope.pcap: No such file or directory$"

t "directory instead of a file"
mkdir "$TMP/adir"
run "$TMP/adir"
expect_rc 1
expect_err "^expose: $TMP/adir: .*is a directory"

t "unreadable file"
mkcap trace "$TMP/secret.pcap" >/dev/null
chmod 000 "$TMP/secret.pcap"
if [ "$(id -u)" -eq 0 ]; then
    echo "skipped [unreadable file]: running as root, permissions do not stop reading"
else
    run "$TMP/secret.pcap"
    expect_rc 1
    expect_err "^expose: $TMP/secret.pcap: Permission denied$"
fi

t "empty file (0 bytes)"
: >"$TMP/empty.pcap"
run "$TMP/empty.pcap"
expect_rc 1
expect_err "^expose: $TMP/empty.pcap: empty file \(0 bytes\), not a capture$"
expect_empty_out

t "text file"
echo "hello, I am not a capture" >"$TMP/text.pcap"
run "$TMP/text.pcap"
expect_rc 1
expect_err "^expose: $TMP/text.pcap: not a pcap or pcapng capture"

t "file shorter than a capture header"
printf '\xd4\xc3\xb2\xa1\x02\x00' >"$TMP/stub.pcap"
run "$TMP/stub.pcap"
expect_rc 1
expect_err "^expose: $TMP/stub.pcap: not a capture"

t "header-only capture"
mkcap header-only "$TMP/hdr.pcap" >/dev/null
run "$TMP/hdr.pcap"
expect_rc 1
expect_err "^expose: $TMP/hdr.pcap: no packets in capture$"
expect_empty_out

t "capture cut inside its first packet"
mkcap trace "$TMP/whole.pcap" >/dev/null
head -c 50 "$TMP/whole.pcap" >"$TMP/cut.pcap"       # 24-byte header + 26 bytes
run "$TMP/cut.pcap"
expect_rc 1
expect_err "^expose: $TMP/cut.pcap: capture is damaged before its first packet \(truncated"
expect_empty_out

t "only ARP: nothing to mine"
mkcap arp "$TMP/arp.pcap" >/dev/null
run "$TMP/arp.pcap"
expect_rc 1
expect_err "10 packets read, 0 mined, 10 skipped \(not IP 10\)"
expect_err "^expose: $TMP/arp.pcap: nothing to mine: none of the 10 packets is TCP, UDP or ICMP"
expect_empty_out

t "only ARP, quiet: the error still shows"
run --quiet "$TMP/arp.pcap"
expect_rc 1
expect_err "nothing to mine"
expect_no_err "packets read"

t "unknown link type 147"
mkcap linktype "$TMP/user0.pcap" 147 >/dev/null
run "$TMP/user0.pcap"
expect_rc 1
expect_err "^expose: $TMP/user0.pcap: unsupported link type 147 \(USER0\)"
expect_empty_out

t "unknown link type 105 (802.11)"
mkcap linktype "$TMP/wifi.pcap" 105 >/dev/null
run "$TMP/wifi.pcap"
expect_rc 1
expect_err "unsupported link type 105 \(IEEE802_11\)"

# The rest mines what was read, so it needs a working core.
t "truncated capture: warn, mine what was read"
n=$(mkcap truncated "$TMP/trunc.pcap")
run "$TMP/trunc.pcap"
expect_rc 0
expect_err "^expose: $TMP/trunc.pcap: capture is truncated after $n packets; mining what was read$"
expect_err "$n packets read, $n mined, 0 skipped; capture truncated"
expect_out "."

t "truncated capture, quiet: the warning still shows"
run --quiet "$TMP/trunc.pcap"
expect_rc 0
expect_err "capture is truncated after $n packets"
expect_no_err "packets read"

t "corrupt record header: warn, mine what was read"
n=$(mkcap corrupt "$TMP/corrupt.pcap")
run "$TMP/corrupt.pcap"
expect_rc 0
expect_err "^expose: $TMP/corrupt.pcap: capture is corrupt after $n packets \(.*\); mining what was read$"
expect_out "."

finish
