#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# update-docs.sh -- regenerate the README's pictures from the real GUI:
#   docs/gui-window.png   Wireshark with Statistics > eXpose Rules open and
#                         the strongest cluster's filter applied
#   docs/rule-graph.png   the rule graph the window's "Rule graph" draws
# Both come from expose-gen's 'all' scenario mined with alpha = 0.1 (the
# strong rules only), through tests/gui/gui_test.sh's docs mode.
#
#   tests/gui/update-docs.sh [BUILD_DIR]      (default: build-gui)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-gui}
art=$(mktemp -d /tmp/expose-docs.XXXXXX)
trap 'rm -rf "$art"' EXIT
bash "$root/tests/gui/gui_test.sh" docs "$build/plugin/expose.so" "$root/ui-lua/expose.lua" \
    "$build/tests/gen/expose-gen" "$art"
mkdir -p "$root/docs"
# Both windows, without the empty bottom of the virtual screen.
convert "$art/docs-screen.png" -crop 1600x900+0+0 +repage "$root/docs/gui-window.png"
cp "$art/docs-rule-graph.png" "$root/docs/rule-graph.png"
echo "updated $root/docs/gui-window.png and $root/docs/rule-graph.png"
