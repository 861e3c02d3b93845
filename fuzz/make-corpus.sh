#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed corpora for the fuzz targets, made from scratch (nothing is copied
# from ../shared/captures):
#   reader/   expose-gen's small scenarios, 60 s each, in every link type,
#             pcap and pcapng, micro/nanoseconds, both byte orders; the CLI
#             tests' mkcap captures (damaged ones included)
#   records/  fuzz_gen_records' traces in fuzz_records' own format
#   options/  command lines and -z option lists, words separated by NUL
# usage: fuzz/make-corpus.sh BUILD_DIR   (fuzz/build.sh runs it)
set -euo pipefail
build=${1:?usage: make-corpus.sh BUILD_DIR}
gen=$build/tests/gen/expose-gen
mkcap=$build/tests/cli/cli_mkcap
genrec=$build/fuzz/fuzz_gen_records
out=$build/corpus
rm -rf "$out"
mkdir -p "$out/reader" "$out/records" "$out/options"

# reader: every small scenario in the default format, then the link types
# and formats on two of them (the full cross product adds nothing new).
for s in dns-web backend loadbalance periodic independent separated longrunning ipv6 scan; do
  "$gen" --quiet --duration 60 "$s" "$out/reader/$s.pcap"
done
for s in dns-web ipv6; do
  for lt in ether raw sll sll2 null vlan; do
    "$gen" --quiet --duration 60 --linktype "$lt" "$s" "$out/reader/$s-$lt.pcap"
    "$gen" --quiet --duration 60 --linktype "$lt" --format pcapng --nsec --swapped \
      "$s" "$out/reader/$s-$lt-ng.pcapng"
  done
  "$gen" --quiet --duration 60 --nsec "$s" "$out/reader/$s-nsec.pcap"
  "$gen" --quiet --duration 60 --swapped "$s" "$out/reader/$s-swapped.pcap"
done
for s in backwards jitter short nonip badlink; do
  "$gen" --quiet "$s" "$out/reader/fixture-$s.pcap"
done
"$gen" --quiet --format pcapng short "$out/reader/fixture-short.pcapng"
for k in header-only arp short mixed truncated corrupt reorder; do
  "$mkcap" "$k" "$out/reader/mkcap-$k.pcap" >/dev/null
done
"$mkcap" backwards "$out/reader/mkcap-backwards.pcap" 100 >/dev/null

# records
"$genrec" "$out/records"

# options: NUL-separated words
opt() { local name=$1; shift; printf '%s\0' "$@" >"$out/options/$name"; }
opt help --help
opt version --version
opt basic -k 100 --window 0.5 --json -o out.json trace.pcap
opt all-params --window 2 --alpha 0.02 --beta 5 --learn-ports 0 --idle 3 \
  --max-present 0.8 --ratio 4 --min-windows 20 --min-joint 2 --profile-interval 60 \
  --profile-aging 3600 --scan-ports 50 --scan-hosts 20 x.pcap
opt graph --graph rules.svg --quiet -q -
opt bad-value --window -1 x.pcap
opt missing-value --window
opt unknown --nope x.pcap
opt grouped -qk5 x.pcap
opt equals --window=0.25 --k=7 x.pcap
opt two-files a.pcap b.pcap
opt z-list 'expose,window=2,k=100,format=json,out=/tmp/x.json,filter=dns || http'
opt z-bare 'expose'
opt z-bad 'expose,window=,k'
opt z-other 'exposed,window=1'
opt params window 0.5 k 10 alpha 1e-3 beta 0 min-windows 2 ratio 1 idle 0
echo "corpus: $(ls "$out/reader" | wc -l) reader, $(ls "$out/records" | wc -l) records," \
     "$(ls "$out/options" | wc -l) options inputs in $out"
