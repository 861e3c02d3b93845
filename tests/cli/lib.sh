# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh -- helpers for the expose CLI tests.  Source it after setting
# EXPOSE (the program) and MKCAP (tests/cli/mkcap).
#
#   t "name"; run ARGS...; expect_rc N; expect_err 'regex'; expect_out 'regex'
#
# A test script ends with `finish`, which exits 1 if any check failed.

set -u
TMP=$(mktemp -d "${TMPDIR:-/tmp}/expose-cli-test.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
fails=0
checks=0
name=""
rc=0

t() { name=$1; }

fail() {
    fails=$((fails + 1))
    echo "FAIL [$name]: $*"
    echo "  stderr was:"; sed 's/^/    /' "$TMP/err" | head -20
    echo "  stdout was:"; sed 's/^/    /' "$TMP/out" | head -10
}

# run expose with ARGS; stdout -> $TMP/out, stderr -> $TMP/err, status -> rc
run() {
    "$EXPOSE" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

expect_rc() {
    checks=$((checks + 1))
    [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1"
}

expect_err() {
    checks=$((checks + 1))
    grep -q -E -e "$1" "$TMP/err" || fail "stderr does not match /$1/"
}

expect_no_err() {
    checks=$((checks + 1))
    ! grep -q -E -e "$1" "$TMP/err" || fail "stderr unexpectedly matches /$1/"
}

expect_out() {
    checks=$((checks + 1))
    grep -q -E -e "$1" "$TMP/out" || fail "stdout does not match /$1/"
}

expect_empty_out() {
    checks=$((checks + 1))
    [ ! -s "$TMP/out" ] || fail "stdout should be empty"
}

expect_empty_err() {
    checks=$((checks + 1))
    [ ! -s "$TMP/err" ] || fail "stderr should be empty"
}

# mkcap KIND FILE [ARG] -> prints the number of good packets written
mkcap() {
    "$MKCAP" "$@" || { echo "mkcap $* failed"; exit 99; }
}

finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails of $checks checks failed"
        exit 1
    fi
    echo "all $checks checks passed"
    exit 0
}
