/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * capwrite.c -- hand-made packets and capture files for the CLI tests.
 */
#include "capwrite.h"

#include <stdlib.h>
#include <string.h>

static void fail(const char *what)
{
    fprintf(stderr, "capwrite: %s\n", what);
    exit(99);
}

/* ------------------------------------------------------------- packets */

void pkt_reset(pkt *p)
{
    memset(p, 0, sizeof *p);
}

void pkt_bytes(pkt *p, const void *data, size_t n)
{
    if (p->n + n > sizeof p->b)
        fail("packet buffer full");
    memcpy(p->b + p->n, data, n);
    p->n += n;
}

void pkt_u8(pkt *p, uint8_t v)
{
    pkt_bytes(p, &v, 1);
}

void pkt_u16(pkt *p, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    pkt_bytes(p, b, 2);
}

void pkt_u32(pkt *p, uint32_t v)
{
    pkt_u16(p, (uint16_t)(v >> 16));
    pkt_u16(p, (uint16_t)v);
}

void pkt_zero(pkt *p, size_t n)
{
    static const uint8_t zeros[256];
    while (n > 0) {
        size_t k = n < sizeof zeros ? n : sizeof zeros;
        pkt_bytes(p, zeros, k);
        n -= k;
    }
}

void pkt_eth(pkt *p, uint16_t type)
{
    static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02 };
    pkt_bytes(p, macs, sizeof macs);
    pkt_u16(p, type);
}

void pkt_vlan(pkt *p, uint16_t tci, uint16_t next_type)
{
    pkt_u16(p, tci);
    pkt_u16(p, next_type);
}

void pkt_sll(pkt *p, uint16_t proto)
{
    pkt_u16(p, 0);                          /* packet type: to us */
    pkt_u16(p, 1);                          /* ARPHRD_ETHER */
    pkt_u16(p, 6);                          /* address length */
    pkt_bytes(p, "\x02\x00\x00\x00\x00\x09\x00\x00", 8);
    pkt_u16(p, proto);
}

void pkt_sll2(pkt *p, uint16_t proto)
{
    pkt_u16(p, proto);
    pkt_u16(p, 0);                          /* reserved */
    pkt_u32(p, 3);                          /* interface index */
    pkt_u16(p, 1);                          /* ARPHRD_ETHER */
    pkt_u8(p, 4);                           /* packet type: outgoing */
    pkt_u8(p, 6);                           /* address length */
    pkt_bytes(p, "\x02\x00\x00\x00\x00\x09\x00\x00", 8);
}

void pkt_af(pkt *p, uint32_t af, int big_endian)
{
    if (big_endian) {
        pkt_u32(p, af);
    } else {
        uint8_t b[4] = { (uint8_t)af, (uint8_t)(af >> 8), (uint8_t)(af >> 16),
                         (uint8_t)(af >> 24) };
        pkt_bytes(p, b, 4);
    }
}

void pkt_ipv4(pkt *p, uint8_t proto, uint32_t src, uint32_t dst, uint16_t frag)
{
    p->l3 = p->n;
    p->ipv = 4;
    pkt_u8(p, 0x45);
    pkt_u8(p, 0);
    pkt_u16(p, 20);                         /* total length: pkt_finish */
    pkt_u16(p, 0x1234);                     /* id */
    pkt_u16(p, frag);
    pkt_u8(p, 64);
    pkt_u8(p, proto);
    pkt_u16(p, 0);                          /* checksum: not checked */
    pkt_u32(p, src);
    pkt_u32(p, dst);
}

void pkt_ipv6(pkt *p, uint8_t next, const uint8_t src[16], const uint8_t dst[16])
{
    p->l3 = p->n;
    p->ipv = 6;
    pkt_u32(p, 0x60000000);
    pkt_u16(p, 0);                          /* payload length: pkt_finish */
    pkt_u8(p, next);
    pkt_u8(p, 64);
    pkt_bytes(p, src, 16);
    pkt_bytes(p, dst, 16);
}

void pkt_ip6_ext(pkt *p, uint8_t next, size_t len)
{
    if (len < 8 || len % 8)
        fail("IPv6 extension length must be a multiple of 8");
    pkt_u8(p, next);
    pkt_u8(p, (uint8_t)(len / 8 - 1));
    pkt_u16(p, 0x0104);                     /* PadN option covering the rest */
    pkt_zero(p, len - 4);
}

void pkt_ip6_frag(pkt *p, uint8_t next, uint16_t offset_units, int more)
{
    pkt_u8(p, next);
    pkt_u8(p, 0);
    pkt_u16(p, (uint16_t)(offset_units << 3 | (more ? 1 : 0)));
    pkt_u32(p, 0xabcdef01);                 /* identification */
}

void pkt_tcp(pkt *p, uint16_t sport, uint16_t dport, uint8_t flags)
{
    pkt_u16(p, sport);
    pkt_u16(p, dport);
    pkt_u32(p, 1000);                       /* seq */
    pkt_u32(p, 0);                          /* ack */
    pkt_u8(p, 5 << 4);                      /* data offset 5 words */
    pkt_u8(p, flags);
    pkt_u16(p, 65535);
    pkt_u16(p, 0);
    pkt_u16(p, 0);
}

void pkt_udp(pkt *p, uint16_t sport, uint16_t dport)
{
    pkt_u16(p, sport);
    pkt_u16(p, dport);
    pkt_u16(p, 8);
    pkt_u16(p, 0);
}

void pkt_icmp(pkt *p, uint8_t type, uint8_t code)
{
    pkt_u8(p, type);
    pkt_u8(p, code);
    pkt_u16(p, 0);
    pkt_u32(p, 0);
}

void pkt_arp(pkt *p)
{
    pkt_u16(p, 1);                          /* Ethernet */
    pkt_u16(p, 0x0800);
    pkt_u8(p, 6);
    pkt_u8(p, 4);
    pkt_u16(p, 1);                          /* request */
    pkt_bytes(p, "\x02\x00\x00\x00\x00\x01", 6);
    pkt_u32(p, 0x0a000001);
    pkt_zero(p, 6);
    pkt_u32(p, 0x0a000002);
}

void pkt_finish(pkt *p)
{
    size_t ip = p->n - p->l3;
    uint8_t *b = p->b + p->l3;
    size_t v = p->ipv == 4 ? ip : ip - 40;
    size_t at = p->ipv == 4 ? 2 : 4;
    b[at] = (uint8_t)(v >> 8);
    b[at + 1] = (uint8_t)v;
}

/* ---------------------------------------------------------------- files */

static void put32(FILE *f, int big_endian, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (big_endian ? 24 - 8 * i : 8 * i));
    if (fwrite(b, 1, 4, f) != 4)
        fail("write failed");
}

static void put16(FILE *f, int big_endian, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(big_endian ? v >> 8 : v), (uint8_t)(big_endian ? v : v >> 8) };
    if (fwrite(b, 1, 2, f) != 2)
        fail("write failed");
}

static void put_bytes(FILE *f, const void *data, size_t n)
{
    if (n && fwrite(data, 1, n, f) != n)
        fail("write failed");
}

FILE *cap_pcap_open(const char *path, uint32_t linktype, int nano, int big_endian)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail("cannot create capture file");
    put32(f, big_endian, nano ? 0xa1b23c4d : 0xa1b2c3d4);
    put16(f, big_endian, 2);
    put16(f, big_endian, 4);
    put32(f, big_endian, 0);                /* thiszone */
    put32(f, big_endian, 0);                /* sigfigs */
    put32(f, big_endian, 262144);           /* snaplen */
    put32(f, big_endian, linktype);
    return f;
}

void cap_pcap_record(FILE *f, int big_endian, uint32_t sec, uint32_t frac,
                     const void *data, uint32_t caplen, uint32_t len)
{
    put32(f, big_endian, sec);
    put32(f, big_endian, frac);
    put32(f, big_endian, caplen);
    put32(f, big_endian, len);
    put_bytes(f, data, caplen);
}

/* pcapng: every field in the section's byte order. */
FILE *cap_pcapng_open(const char *path, uint16_t linktype, int tsresol_exp,
                      int big_endian)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail("cannot create capture file");
    /* Section Header Block */
    put32(f, big_endian, 0x0a0d0d0a);
    put32(f, big_endian, 28);
    put32(f, big_endian, 0x1a2b3c4d);
    put16(f, big_endian, 1);
    put16(f, big_endian, 0);
    put32(f, big_endian, 0xffffffff);                /* section length -1: unknown */
    put32(f, big_endian, 0xffffffff);
    put32(f, big_endian, 28);
    /* Interface Description Block, with if_tsresol unless it is 10^-6 */
    uint32_t idb_len = tsresol_exp == 6 ? 20 : 32;
    put32(f, big_endian, 1);
    put32(f, big_endian, idb_len);
    put16(f, big_endian, linktype);
    put16(f, big_endian, 0);
    put32(f, big_endian, 262144);
    if (tsresol_exp != 6) {
        put16(f, big_endian, 9);                     /* if_tsresol */
        put16(f, big_endian, 1);
        uint8_t opt[4] = { (uint8_t)tsresol_exp, 0, 0, 0 };
        put_bytes(f, opt, 4);
        put16(f, big_endian, 0);                     /* opt_endofopt */
        put16(f, big_endian, 0);
    }
    put32(f, big_endian, idb_len);
    return f;
}

void cap_pcapng_epb(FILE *f, int big_endian, uint64_t ts_units, const void *data,
                    uint32_t caplen, uint32_t len)
{
    static const uint8_t pad[4];
    uint32_t padded = (caplen + 3) & ~3u;
    uint32_t total = 32 + padded;
    put32(f, big_endian, 6);
    put32(f, big_endian, total);
    put32(f, big_endian, 0);                         /* interface id */
    put32(f, big_endian, (uint32_t)(ts_units >> 32));
    put32(f, big_endian, (uint32_t)ts_units);
    put32(f, big_endian, caplen);
    put32(f, big_endian, len);
    put_bytes(f, data, caplen);
    put_bytes(f, pad, padded - caplen);
    put32(f, big_endian, total);
}
