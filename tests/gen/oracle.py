#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""oracle.py -- reference scorer for expose-gen traces.

An independent, slow, literal reading of the eXpose rule semantics (paper
sections 2-3), used to derive the expected answers in SCENARIOS.md.  It is
not the miner and not a test: run it after changing the generator and
update SCENARIOS.md.  Python 3 standard library only; reads little- or
big-endian pcap (not pcapng) with Ethernet framing (802.1Q allowed).

Simplifications, stated so the numbers can be compared: windows are
floor((t - first packet) / window); the server side is the end with a port
in WELL (otherwise the first sender is the client); no port learning; no
top-K cut (the small scenarios have far fewer than 5000 items); a flow is
not paired with the generic that contains it.

    python3 oracle.py [-w WINDOW] [-v] FILE.pcap...
"""
import collections
import math
import socket
import struct
import sys

WELL = {22, 25, 53, 80, 110, 123, 143, 443, 514, 3128, 3306, 5432, 8080, 7400, 7401,
        7402, 7403, 7404, 8805, 9050, 9090, 9123, 9321, 10101, 10500, 11200, 12345,
        13131, 14141, 15151, 16161}

def packets(path):
    f = open(path, 'rb')
    gh = f.read(24)
    magic = struct.unpack('<I', gh[:4])[0]
    e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    nsec = struct.unpack(e + 'I', gh[:4])[0] == 0xa1b23c4d
    link = struct.unpack(e + 'I', gh[20:24])[0]
    while True:
        h = f.read(16)
        if len(h) < 16:
            return
        s, us, cl, ol = struct.unpack(e + 'IIII', h)
        d = f.read(cl)
        t = s + us / (1e9 if nsec else 1e6)
        if link != 1:
            continue
        et = struct.unpack('>H', d[12:14])[0]
        p = d[14:]
        if et == 0x8100:
            et = struct.unpack('>H', d[16:18])[0]
            p = d[18:]
        if et == 0x0800:
            ihl = (p[0] & 15) * 4
            proto = p[9]
            src, dst = socket.inet_ntop(socket.AF_INET, p[12:16]), socket.inet_ntop(socket.AF_INET, p[16:20])
            l4 = p[ihl:]
        elif et == 0x86dd:
            nh = p[6]
            src, dst = socket.inet_ntop(socket.AF_INET6, p[8:24]), socket.inet_ntop(socket.AF_INET6, p[24:40])
            l4 = p[40:]
            if nh == 0:
                nh = l4[0]
                l4 = l4[(l4[1] + 1) * 8:]
            proto = nh
        else:
            continue
        if proto not in (6, 17):
            continue
        sp, dp = struct.unpack('>HH', l4[:4])
        flags = l4[13] if proto == 6 else 0
        yield t, proto, src, sp, dst, dp, flags


def build(path, win=1.0):
    t0 = None
    conns = {}      # 5-tuple (canonical) -> (client, cport, server, sport)
    pres = collections.defaultdict(set)   # item -> windows
    clients = collections.defaultdict(lambda: collections.defaultdict(set))  # generic item -> w -> clients
    last = {}
    W = 0
    for t, proto, src, sp, dst, dp, flags in packets(path):
        if t0 is None:
            t0 = t
        w = int((t - t0) // win)
        W = max(W, w + 1)
        key = (proto,) + tuple(sorted([(src, sp), (dst, dp)]))
        if key not in conns:
            if sp in WELL and dp not in WELL:
                cl, sv = (dst, dp), (src, sp)
            elif dp in WELL and sp not in WELL:
                cl, sv = (src, sp), (dst, dp)
            else:
                cl, sv = (src, sp), (dst, dp)      # first sender is the client
            if proto == 6 and flags & 0x12 == 0x12:  # a SYN-ACK first: swap
                cl, sv = sv, cl
            conns[key] = (cl, sv)
        cl, sv = conns[key]
        cp = cl[1] if cl[1] in WELL else '*'
        spt = sv[1] if sv[1] in WELL else '*'
        flow = (proto, cl[0], cp, sv[0], spt)
        isnew = False
        if proto == 6:
            isnew = bool(flags & 2) and not (flags & 0x10) and src == cl[0]
        else:
            isnew = flow not in last or t - last[flow] >= win
        last[flow] = t
        items = [(flow, 'P')] + ([(flow, 'N')] if isnew else [])
        for it in items:
            pres[it].add(w)
            if spt != '*':
                g = ((proto, '*', '*', sv[0], spt), it[1])
                pres[g].add(w)
                clients[g][w].add(cl[0])
    return pres, clients, W


def ips(item):
    f = item[0]
    return {f[1], f[3]} - {'*'}

def is_generic(item):
    return item[0][1] == '*'

def score(nx, ny, nxy, W):
    if nxy == 0:
        return -1
    px, py, pxy = nx / W, ny / W, nxy / W
    return pxy * math.log(pxy / (px * py))

def mine(pres, clients, W, alpha=0.01, beta=3, maxp=0.9, ratio=3.0):
    items = [i for i in pres if len(pres[i]) <= maxp * W]
    dropped = [i for i in pres if len(pres[i]) > maxp * W]
    rules = []
    for x in items:
        for y in items:
            if x[0] == y[0]:
                continue
            gx, gy = is_generic(x), is_generic(y)
            if gx and gy:
                ws = [w for w in pres[x] & pres[y] if clients[x][w] & clients[y][w]]
                sup = len(set().union(*[clients[x][w] & clients[y][w] for w in ws])) if ws else 0
            elif gx or gy:
                g, f = (x, y) if gx else (y, x)
                if g[0][3] not in ips(f):
                    continue
                # the flow must not be one of the generic's own members
                if f[0][3] == g[0][3] and f[0][4] == g[0][4] and f[0][0] == g[0][0]:
                    continue
                ws = pres[x] & pres[y]
                sup = len(set().union(*[clients[g][w] for w in ws])) if ws else 0
            else:
                if not (ips(x) & ips(y)):
                    continue
                ws = pres[x] & pres[y]
                sup = -1
            if not ws:
                continue
            if x[1] == 'P' and y[1] == 'P':
                r = len(pres[x]) / len(pres[y])
                if r > ratio or r < 1 / ratio:
                    continue
            s = score(len(pres[x]), len(pres[y]), len(ws), W)
            if s > alpha and (sup == -1 or sup > beta):
                rules.append((s, x, y, len(pres[x]), len(pres[y]), len(ws), sup))
    rules.sort(key=lambda r: (-r[0], name(r[1]), name(r[2])))
    return rules, dropped

def name(it):
    f, a = it
    return '%s%s.%s : %s.%s/%s' % ('' if f[0] == 6 else 'udp ', f[1] if f[1] != '*' else '*', f[2], f[3], f[4], 'new' if a == 'N' else 'pres')

def summary(path, window=1.0, verbose=False):
    pres, clients, W = build(path, window)
    rules, dropped = mine(pres, clients, W)
    print('== %s: windows %d items %d rules %d' % (path, W, len(pres), len(rules)))
    for d in dropped:
        print('   DROPPED >90%%: %s %d' % (name(d), len(pres[d])))
    groups = collections.defaultdict(list)
    def shape(it):
        f = it[0]
        return ('udp ' if f[0] == 17 else '') + ('*' if f[1] == '*' else 'C') + '.' + str(f[2]) + ':' + f[3] + '.' + str(f[4])
    for r in rules:
        s, x, y = r[0], r[1], r[2]
        groups[(shape(x), shape(y))].append(r)
    for k, v in sorted(groups.items(), key=lambda kv: -max(r[0] for r in kv[1])):
        sc = [r[0] for r in v]
        print('   %4d rules  %-40s => %-40s  score %.4f..%.4f' % (len(v), k[0], k[1], min(sc), max(sc)))
    if verbose:
        for s, x, y, nx, ny, nxy, sup in rules:
            print('   %.4f  %s => %s  nX=%d nY=%d nXY=%d support=%d' % (s, name(x), name(y), nx, ny, nxy, sup))

def main():
    import argparse
    ap = argparse.ArgumentParser(description='literal eXpose scorer for expose-gen traces')
    ap.add_argument('-w', '--window', type=float, default=1.0)
    ap.add_argument('-v', '--verbose', action='store_true', help='print every rule')
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    for p in a.files:
        summary(p, a.window, a.verbose)


if __name__ == '__main__':
    main()
