#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# expose on the public captures in ../shared/captures, when that folder
# exists (it is not part of the project).  Exit 77 (skipped) otherwise.
# usage: cli_shared_captures.sh EXPOSE MKCAP CAPTURE_DIR
EXPOSE=$1
MKCAP=$2
DIR=$3
if [ ! -d "$DIR" ]; then
    echo "skipped: ../shared/captures not found"
    exit 77
fi
. "$(dirname "$0")/lib.sh"

t "tz-sumstat-dns-http.pcap mines"
run "$DIR/tz-sumstat-dns-http.pcap"
expect_rc 0
expect_err "4544 packets read, [0-9]+ mined"
expect_out "."
# The client's HTTP => DNS rules, for both web servers.
expect_out "192\.168\.1\.201\.\* : 192\.150\.187\.43\.80 \(tcp new\) => 192\.168\.1\.201\.\* : 192\.168\.1\.1\.53 \(udp present\)"
expect_out "192\.168\.1\.201\.\* : 216\.58\.192\.4\.80 \(tcp new\) => 192\.168\.1\.201\.\* : 192\.168\.1\.1\.53 \(udp present\)"

t "strat-test7-homelan.pcap (IPv6 too) mines"
run --json "$DIR/strat-test7-homelan.pcap"
expect_rc 0
expect_err "2000 packets read"
expect_out "\{"

t "cs-http_espn.pcapng is too short: clear message, no crash"
run "$DIR/cs-http_espn.pcapng"
expect_rc 1
expect_err "956 packets read"
expect_err "^expose: $DIR/cs-http_espn.pcapng: .*window"

finish
