#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# expose's command line: bad options exit 2 naming the option, --help and
# --version.  None of this needs a capture to be mined.
# usage: cli_options.sh EXPOSE MKCAP
EXPOSE=$1
MKCAP=$2
. "$(dirname "$0")/lib.sh"

missing="$TMP/missing.pcap"        # options are checked before the file is opened

bad_value() {   # bad_value OPTION-AS-SHOWN ARGS...
    local shown=$1; shift
    t "bad value: $*"
    run "$@" "$missing"
    expect_rc 2
    expect_err "^expose: $shown: "
    expect_empty_out
}
bad_value --window --window=abc
bad_value --window --window -1
bad_value --window --window=0
bad_value --k --k=0
bad_value --k -k 0
bad_value --k --k 12x
bad_value --alpha --alpha=x
bad_value --beta --beta=-2
bad_value --max-present --max-present=1.5
bad_value --min-windows --min-windows=1
bad_value --ratio --ratio=0.5

t "unknown long option"
run --bogus "$missing"
expect_rc 2
expect_err "unknown or ambiguous option '--bogus'"
expect_err "expose --help"

t "unknown short option"
run -x "$missing"
expect_rc 2
expect_err "unknown option '-x'"

t "option without its value"
run "$missing" --window
expect_rc 2
expect_err "option '--window' needs a value"

t "flag given a value"
run --json=yes "$missing"
expect_rc 2
expect_err "option '--json=yes' does not take a value"

t "graph file with an unknown extension"
run --graph "$TMP/g.png" "$missing"
expect_rc 2
expect_err "--graph '$TMP/g.png': the file name must end in .svg or .dot"

t "missing FILE"
run --window 2
expect_rc 2
expect_err "missing capture FILE"

t "two FILEs"
run "$missing" "$TMP/other.pcap"
expect_rc 2
expect_err "unexpected argument '$TMP/other.pcap'"

# Good values in both spellings get past option parsing: the run then
# fails on the missing file (exit 1), not on usage (exit 2).
t "good values, both spellings"
run --window 0.5 --k=100 -k 7 --alpha=0.02 --beta 4 --learn-ports=0 --idle 2 \
    --max-present=0.8 --ratio 2 --min-windows=3 --profile-interval 60 \
    --profile-aging=3600 --scan-ports 20 --scan-hosts=10 --json --quiet \
    -o "$TMP/r.txt" --graph="$TMP/g.svg" "$missing"
expect_rc 1
expect_err "No such file or directory"

t "--help"
run --help
expect_rc 0
for opt in window k alpha beta learn-ports idle max-present ratio min-windows \
           profile-interval profile-aging scan-ports scan-hosts json output graph \
           quiet version help; do
    expect_out "^  (-., )?--$opt( |$)"
done
expect_out "^  --window SECONDS .*default 1"
expect_out "Usage: expose \[options\] FILE"
expect_out "Exit status: 0 success, 1 input or mining error, 2 bad usage"
expect_empty_err

t "-h"
run -h
expect_rc 0
expect_out "Usage: expose"

t "--version"
run --version
expect_rc 0
expect_out "^expose [0-9]+\.[0-9]+\.[0-9]+$"
expect_out "libpcap"

finish
