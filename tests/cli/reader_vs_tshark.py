# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare the CLI reader with tshark on real captures.

usage: python3 reader_vs_tshark.py READER_DUMP CAPTURE...

For every packet the reader mines, tshark (with IP reassembly off) must
agree on the timestamp, wire length, IP version, protocol, outer addresses,
ports (not for ICMP, whose quoted header tshark also dissects) and TCP
flags.  For every packet the reader skips, tshark must not see TCP, UDP or
ICMP right above the first IP header, unless the packet is a fragment.
Exits 1 on any disagreement, printing the first few.
"""
import subprocess
import sys

FIELDS = ["frame.number", "frame.time_epoch", "frame.len", "frame.protocols",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport",
          "tcp.flags", "udp.srcport", "udp.dstport", "ip.frag_offset", "ipv6.fraghdr.offset"]
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


def tshark(path):
    cmd = ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE",
           "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        vals = dict(zip(FIELDS, line.split("\t")))
        rows[int(vals["frame.number"])] = vals
    return rows


def transport(protocols):
    """(ip version, protocol name right above the first IP header) or None."""
    layers = protocols.split(":")
    for i, layer in enumerate(layers):
        if layer in ("ip", "ipv6"):
            rest = [x for x in layers[i + 1:] if not x.startswith("ipv6.")]
            return (4 if layer == "ip" else 6, rest[0] if rest else "")
    return None


def expected(t):
    tr = transport(t["frame.protocols"])
    if tr is None or tr[1] not in PROTOS:
        return None
    version, name = tr
    if name == ("icmpv6" if version == 4 else "icmp"):
        return None
    src = t["ip.src"] if version == 4 else t["ipv6.src"]
    dst = t["ip.dst"] if version == 4 else t["ipv6.dst"]
    sport = dport = "0"
    flags = 0
    if name in ("tcp", "udp"):
        sport, dport = t[name + ".srcport"], t[name + ".dstport"]
    if name == "tcp" and not t["tcp.flags"] or name == "udp" and not dport:
        return None                         # tshark found the header cut short too
    if name == "tcp":
        flags = int(t["tcp.flags"], 16) & 0xff
    ts = t["frame.time_epoch"]
    sec, _, frac = ts.partition(".")
    return ["%s.%s" % (sec, (frac + "000000000")[:9]), t["frame.len"], "ip%d" % version,
            str(PROTOS[name]), src, sport, dst, dport, "0x%02x" % flags]


def compare(dump, path):
    rows = tshark(path)
    ours = subprocess.run([dump, path], check=False, capture_output=True, text=True).stdout
    problems, mined, skipped = [], 0, 0
    for line in ours.splitlines():
        parts = line.split()
        n = int(parts[0])
        want = expected(rows[n])
        if parts[1] == "skip":
            skipped += 1
            frag = rows[n]["ip.frag_offset"] not in ("", "0") or \
                rows[n]["ipv6.fraghdr.offset"] not in ("", "0")
            if want is not None and not (parts[2] in ("fragment", "malformed") and frag):
                problems.append("%d: reader skips (%s), tshark sees %s" % (n, parts[2], want))
            continue
        mined += 1
        if parts[1:] != want:
            problems.append("%d: reader %s\n      tshark %s" % (n, parts[1:], want))
    if len(rows) != mined + skipped:
        problems.append("reader saw %d packets, tshark %d" % (mined + skipped, len(rows)))
    print("%s: %d mined, %d skipped, %d disagreements" % (path, mined, skipped, len(problems)))
    for p in problems[:10]:
        print("  " + p)
    return not problems


def main():
    dump, paths = sys.argv[1], sys.argv[2:]
    ok = all([compare(dump, p) for p in paths])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
