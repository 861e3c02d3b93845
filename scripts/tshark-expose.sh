#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run tshark with the freshly built expose plugin, without installing it:
#   scripts/tshark-expose.sh -q -r capture.pcap -z expose
# The plugin is staged as <tmp>/plugins/4.0/epan/expose.so and found through
# WIRESHARK_PLUGIN_DIR.  Wireshark ignores that variable when run as root, so
# as root tshark runs as user 65534 (nobody) on world-readable copies of the
# capture files named with -r.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
so=${EXPOSE_PLUGIN_SO:-$root/build/plugin/expose.so}
[ -f "$so" ] || { echo "tshark-expose: $so not built (run: cmake --build build)" >&2; exit 2; }
stage=$(mktemp -d /tmp/expose-stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins/4.0/epan" "$stage/home" "$stage/in"
cp "$so" "$stage/plugins/4.0/epan/expose.so"

args=()
if [ "$(id -u)" -eq 0 ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = "-r" ] && [ $# -ge 2 ]; then
      copy="$stage/in/$(basename "$2")"
      cp "$2" "$copy"
      args+=("-r" "$copy")
      shift 2
    else
      args+=("$1")
      shift
    fi
  done
  chmod -R a+rX "$stage"
  chmod 1777 "$stage/home"
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    env HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins" tshark "${args[@]}"
else
  WIRESHARK_PLUGIN_DIR="$stage/plugins" tshark "$@"
fi
