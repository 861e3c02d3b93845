#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what expose needs to build and test on Debian 12 (bookworm).
# Runs apt-get only for packages that are missing; needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config        # toolchain
  libpcap-dev liblapacke-dev liblapack-dev libblas-dev   # CLI reader, eigensolver
  wireshark-dev tshark libglib2.0-dev     # the plugin and its tests
  wireshark-qt xvfb xauth xdotool imagemagick x11-utils   # GUI tests under Xvfb
  tesseract-ocr                           # GUI tests read the status bar (OCR)
  liblua5.2-dev lua5.2                    # the GUI's Lua side
  graphviz                                # rule graph (dot -> SVG)
  tcpdump time                            # benchmark baseline and timing
  clang libclang-rt-14-dev                # fuzzing and sanitizers
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: everything is installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
