#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lua_module.sh -- the Lua C module inside expose.so, outside Wireshark.
#
#   lua_module.sh SO
#
# * expose.so exports luaopen_expose and links the same Lua library
#   (soname) as libwireshark, so the module's Lua calls reach Wireshark's
#   interpreter;
# * loading expose.so puts its own path in EXPOSE_PLUGIN_SO (what the GUI
#   script loads);
# * a copy that Wireshark's plugin loader did not register -- here, no
#   Wireshark at all -- refuses to work: every entry point returns nil and
#   a message instead of touching missing plugin state.
set -u
SO=${1:?expose.so}
command -v lua5.2 >/dev/null || { echo "SKIP: lua5.2 is not installed"; exit 77; }
[ -f "$SO" ] || { echo "FAIL: $SO is not built"; exit 1; }
nm -D --defined-only "$SO" | grep -q ' luaopen_expose$' ||
    { echo "SKIP: expose.so was built without its Lua module (liblua5.2-dev missing)"; exit 77; }

failed=0
fail() { echo "FAIL: $*"; failed=1; }

ours=$(readelf -d "$SO" | sed -n 's/.*NEEDED.*\[\(liblua[^]]*\)\].*/\1/p')
libws=$(ldconfig -p | awk '/libwireshark\.so\.[0-9]+ / {print $NF; exit}')
theirs=$( [ -n "$libws" ] && readelf -d "$libws" | sed -n 's/.*NEEDED.*\[\(liblua[^]]*\)\].*/\1/p')
if [ -z "$ours" ]; then
    fail "expose.so does not link a Lua library"
elif [ -n "$theirs" ] && [ "$ours" != "$theirs" ]; then
    fail "expose.so links $ours but libwireshark links $theirs"
else
    echo "ok: expose.so links $ours${theirs:+, as libwireshark does}"
fi

TMP=$(mktemp -d /tmp/expose-luamod.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/copy"
cp "$SO" "$TMP/copy/expose.so"
copy=$(readlink -f "$TMP/copy/expose.so")

cat >"$TMP/t.lua" <<'EOF'
local so = arg[1]
local before = os.getenv("EXPOSE_PLUGIN_SO")
local open, err = package.loadlib(so, "luaopen_expose")
if not open then print("FAIL: loadlib: " .. tostring(err)) os.exit(1) end
print("announced " .. tostring(os.getenv("EXPOSE_PLUGIN_SO")))
local ex = open()
local bad = 0
for _, name in ipairs({ "check", "defaults", "run", "frames", "mine", "snapshot", "stop",
                        "host_filter", "save", "tmpfile", "graph_start", "graph_poll",
                        "graph_cancel" }) do
    local ok, a, b = pcall(ex[name], "10.0.0.1", "x")
    if not ok then
        print("FAIL: " .. name .. " raised an error: " .. tostring(a)) bad = 1
    elseif a ~= nil or type(b) ~= "string" or not b:find("not the plugin Wireshark loaded", 1, true) then
        print("FAIL: " .. name .. " returned " .. tostring(a) .. ", " .. tostring(b)) bad = 1
    end
end
local v, path = ex.version()
print("version " .. tostring(v) .. " " .. tostring(path))
local _, why = ex.check()
print("check: " .. tostring(why))
os.exit(bad)
EOF

# A sanitized build's plugin loads only with the runtimes preloaded.
SAN_ENV=()
if [ -n "${EXPOSE_SANITIZER_ENV:-}" ] && [ -s "$EXPOSE_SANITIZER_ENV" ]; then
    while IFS= read -r line; do [ -n "$line" ] && SAN_ENV+=("$line"); done <"$EXPOSE_SANITIZER_ENV"
fi
out=$(env EXPOSE_PLUGIN_SO=/nonexistent/stale/expose.so "${SAN_ENV[@]}" lua5.2 "$TMP/t.lua" "$copy" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "an entry point did not fail cleanly"
grep -q -x -F "announced $copy" <<<"$out" ||
    fail "loading $copy did not announce its path in EXPOSE_PLUGIN_SO"
grep -q "check: eXpose: $copy is not the plugin Wireshark loaded" <<<"$out" ||
    fail "check() does not explain why the copy is refused"

[ "$failed" -eq 0 ] && echo "PASS" || exit 1
