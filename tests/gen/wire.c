/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * wire.c -- packet bytes and capture files, written by hand: IPv4/IPv6,
 * TCP/UDP with real checksums, six link layers, pcap and pcapng in either
 * byte order.  The file header and record fields are serialised byte by
 * byte, so the output does not depend on the host's endianness.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define WBUF_SIZE (8u << 20)
#define SNAPLEN   262144u

/* ------------------------------------------------------ file byte order */

static void put16f(uint8_t *p, uint16_t v, int big)
{
    if (big) { p[0] = v >> 8; p[1] = (uint8_t)v; }
    else     { p[0] = (uint8_t)v; p[1] = v >> 8; }
}

static void put32f(uint8_t *p, uint32_t v, int big)
{
    if (big) { put16f(p, v >> 16, 1); put16f(p + 2, (uint16_t)v, 1); }
    else     { put16f(p, (uint16_t)v, 0); put16f(p + 2, v >> 16, 0); }
}

static void put16n(uint8_t *p, uint16_t v) { put16f(p, v, 1); }
static void put32n(uint8_t *p, uint32_t v) { put32f(p, v, 1); }

static void wflush(writer *w)
{
    if (w->used && fwrite(w->buf, 1, w->used, w->f) != w->used)
        w->error = 1;
    w->used = 0;
}

static uint8_t *wreserve(writer *w, size_t n)
{
    if (w->used + n > w->cap)
        wflush(w);
    uint8_t *p = w->buf + w->used;
    w->used += n;
    return p;
}

static uint32_t link_dlt(linktype l)
{
    switch (l) {
    case LINK_ETHER: case LINK_VLAN: return 1;
    case LINK_RAW:   return 101;
    case LINK_SLL:   return 113;
    case LINK_SLL2:  return 276;
    case LINK_NULL:  return 0;
    case LINK_USER0: return 147;
    }
    return 1;
}

/* ------------------------------------------------------ file headers */

static void pcap_header(writer *w)
{
    uint8_t *p = wreserve(w, 24);
    put32f(p, w->nsec ? 0xa1b23c4d : 0xa1b2c3d4, w->swapped);
    put16f(p + 4, 2, w->swapped);
    put16f(p + 6, 4, w->swapped);
    put32f(p + 8, 0, w->swapped);            /* thiszone */
    put32f(p + 12, 0, w->swapped);           /* sigfigs */
    put32f(p + 16, SNAPLEN, w->swapped);
    put32f(p + 20, link_dlt(w->link), w->swapped);
}

/* Append one pcapng option (code, value) padded to 32 bits. */
static size_t ng_opt(uint8_t *p, int big, uint16_t code, const void *v, uint16_t len)
{
    size_t padded = (len + 3u) & ~3u;
    put16f(p, code, big);
    put16f(p + 2, len, big);
    memset(p + 4, 0, padded);
    memcpy(p + 4, v, len);
    return 4 + padded;
}

static void pcapng_header(writer *w)
{
    int big = w->swapped;
    uint8_t blk[256];
    static const char appname[] = "expose-gen 0.1.0";
    size_t n = 8;
    /* section header block */
    put32f(blk, 0x0A0D0D0A, big);
    put32f(blk + n, 0x1A2B3C4D, big);
    put16f(blk + n + 4, 1, big);
    put16f(blk + n + 6, 0, big);
    memset(blk + n + 8, 0xff, 8);                    /* section length unknown */
    n += 16;
    n += ng_opt(blk + n, big, 4, appname, sizeof appname - 1);  /* shb_userappl */
    n += ng_opt(blk + n, big, 0, "", 0);
    put32f(blk + 4, (uint32_t)(n + 4), big);
    put32f(blk + n, (uint32_t)(n + 4), big);
    memcpy(wreserve(w, n + 4), blk, n + 4);
    /* interface description block */
    uint8_t tsresol = 9;
    n = 8;
    put32f(blk, 1, big);
    put16f(blk + n, (uint16_t)link_dlt(w->link), big);
    put16f(blk + n + 2, 0, big);
    put32f(blk + n + 4, SNAPLEN, big);
    n += 8;
    n += ng_opt(blk + n, big, 2, "gen0", 4);          /* if_name */
    if (w->nsec)
        n += ng_opt(blk + n, big, 9, &tsresol, 1);    /* if_tsresol */
    n += ng_opt(blk + n, big, 0, "", 0);
    put32f(blk + 4, (uint32_t)(n + 4), big);
    put32f(blk + n, (uint32_t)(n + 4), big);
    memcpy(wreserve(w, n + 4), blk, n + 4);
}

int writer_open(writer *w, const char *path, int pcapng, int nsec, int swapped,
                linktype link)
{
    memset(w, 0, sizeof *w);
    w->f = fopen(path, "wb");
    if (!w->f)
        return -1;
    w->buf = malloc(WBUF_SIZE);
    if (!w->buf) {
        fclose(w->f);
        return -1;
    }
    w->cap = WBUF_SIZE;
    w->pcapng = pcapng;
    w->nsec = nsec;
    w->swapped = swapped;
    w->link = link;
    if (pcapng)
        pcapng_header(w);
    else
        pcap_header(w);
    return 0;
}

int writer_close(writer *w)
{
    wflush(w);
    if (fclose(w->f) != 0)
        w->error = 1;
    free(w->buf);
    return w->error ? -1 : 0;
}

/* One capture record.  t_ns is relative to GEN_EPOCH and may be negative
 * (the backwards fixture); floor division keeps the order of records. */
void writer_record(writer *w, int64_t t_ns, const uint8_t *data, uint32_t len)
{
    int64_t abs_ns = GEN_EPOCH * NS_PER_S + t_ns;
    int big = w->swapped;
    w->packets++;
    w->bytes += len;
    if (!w->pcapng) {
        uint8_t *p = wreserve(w, 16 + len);
        put32f(p, (uint32_t)(abs_ns / NS_PER_S), big);
        put32f(p + 4, (uint32_t)(abs_ns % NS_PER_S / (w->nsec ? 1 : NS_PER_US)), big);
        put32f(p + 8, len, big);
        put32f(p + 12, len, big);
        memcpy(p + 16, data, len);
        return;
    }
    uint64_t ts = (uint64_t)(w->nsec ? abs_ns : abs_ns / NS_PER_US);
    uint32_t padded = (len + 3u) & ~3u, total = 32 + padded;
    uint8_t *p = wreserve(w, total);
    put32f(p, 6, big);                        /* enhanced packet block */
    put32f(p + 4, total, big);
    put32f(p + 8, 0, big);                    /* interface 0 */
    put32f(p + 12, (uint32_t)(ts >> 32), big);
    put32f(p + 16, (uint32_t)ts, big);
    put32f(p + 20, len, big);
    put32f(p + 24, len, big);
    memcpy(p + 28, data, len);
    memset(p + 28 + len, 0, padded - len);
    put32f(p + 28 + padded, total, big);
}

/* ------------------------------------------------------------ checksums */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
    for (; n > 1; n -= 2, p += 2)
        sum += (uint32_t)p[0] << 8 | p[1];
    if (n)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* ------------------------------------------------------------- IP layer */

static size_t l4_header(const gpkt *p, uint8_t *l4)
{
    put16n(l4, p->sport);
    put16n(l4 + 2, p->dport);
    if (p->proto == 17) {
        put16n(l4 + 4, (uint16_t)(8 + p->paylen));
        put16n(l4 + 6, 0);
        return 8;
    }
    size_t hl = p->synopt ? 32 : 20;
    put32n(l4 + 4, p->seq);
    put32n(l4 + 8, p->ack);
    l4[12] = (uint8_t)(hl / 4) << 4;
    l4[13] = p->flags;
    put16n(l4 + 14, p->win);
    put32n(l4 + 16, 0);                        /* checksum, urgent pointer */
    if (p->synopt) {
        /* what a Linux stack sends: MSS 1460, NOP WS 7, NOP NOP SACK-ok */
        static const uint8_t o[12] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2 };
        memcpy(l4 + 20, o, sizeof o);
    }
    return hl;
}

static void l4_checksum(const gpkt *p, uint8_t *l4, size_t l4len)
{
    uint32_t sum = 0;
    size_t alen = p->src->ver == 4 ? 4 : 16;
    sum = sum_bytes(sum, p->src->addr, alen);
    sum = sum_bytes(sum, p->dst->addr, alen);
    sum += p->proto;
    sum += (uint32_t)l4len;
    uint16_t c = sum_fold(sum_bytes(sum, l4, l4len));
    if (p->proto == 17 && c == 0)
        c = 0xffff;                            /* 0 means "no checksum" in UDP */
    put16n(l4 + (p->proto == 17 ? 6 : 16), c);
}

static size_t ipv4_header(const gpkt *p, uint8_t *ip, size_t l4len)
{
    ip[0] = 0x45;
    ip[1] = 0;
    put16n(ip + 2, (uint16_t)(20 + l4len));
    put16n(ip + 4, p->src->ipid++);
    put16n(ip + 6, p->proto == 6 ? 0x4000 : 0);  /* DF for TCP */
    ip[8] = p->src->ttl;
    ip[9] = p->proto;
    put16n(ip + 10, 0);
    memcpy(ip + 12, p->src->addr, 4);
    memcpy(ip + 16, p->dst->addr, 4);
    put16n(ip + 10, sum_fold(sum_bytes(0, ip, 20)));
    return 20;
}

static size_t ipv6_header(const gpkt *p, uint8_t *ip, size_t l4len)
{
    size_t ext = p->hbh ? 8 : 0;
    put32n(ip, 0x60000000u | (p->flowlabel & 0xfffff));
    put16n(ip + 4, (uint16_t)(ext + l4len));
    ip[6] = p->hbh ? 0 : p->proto;
    ip[7] = p->src->ttl;
    memcpy(ip + 8, p->src->addr, 16);
    memcpy(ip + 24, p->dst->addr, 16);
    if (p->hbh) {
        /* hop-by-hop header with one PadN option: legal, meaningless,
         * and exactly what a decoder must skip to find the ports */
        static const uint8_t padn[6] = { 1, 4, 0, 0, 0, 0 };
        ip[40] = p->proto;
        ip[41] = 0;
        memcpy(ip + 42, padn, sizeof padn);
    }
    return 40 + ext;
}

/* Build the IP packet into out; returns its length. */
static size_t ip_packet(const gpkt *p, uint8_t *out)
{
    uint8_t l4[64];
    size_t hl = l4_header(p, l4);
    size_t iphl = p->src->ver == 4 ? 20 : 40 + (p->hbh ? 8 : 0);
    memcpy(out + iphl, l4, hl);
    if (p->paylen)
        memcpy(out + iphl + hl, p->payload, p->paylen);
    l4_checksum(p, out + iphl, hl + p->paylen);
    if (p->src->ver == 4)
        ipv4_header(p, out, hl + p->paylen);
    else
        ipv6_header(p, out, hl + p->paylen);
    return iphl + hl + p->paylen;
}

/* ----------------------------------------------------------- link layer */

static const uint8_t *pkt_dstmac(const gpkt *p)
{
    return p->ethertype ? p->dstmac : p->dst->mac;
}

static const uint8_t *pkt_srcmac(const gpkt *p)
{
    return p->ethertype ? p->srcmac : p->src->mac;
}

static uint16_t pkt_ethertype(const gpkt *p)
{
    if (p->ethertype)
        return p->ethertype;
    return p->src->ver == 4 ? 0x0800 : 0x86DD;
}

/* Writes the link header for w->link; returns its length. */
static size_t link_header(const writer *w, const gpkt *p, uint8_t *h)
{
    uint16_t et = pkt_ethertype(p);
    switch (w->link) {
    case LINK_ETHER:
    case LINK_VLAN:
        memcpy(h, pkt_dstmac(p), 6);
        memcpy(h + 6, pkt_srcmac(p), 6);
        if (w->link == LINK_ETHER) {
            put16n(h + 12, et);
            return 14;
        }
        put16n(h + 12, 0x8100);
        put16n(h + 14, w->vlan & 0x0fff);
        put16n(h + 16, et);
        return 18;
    case LINK_SLL:
        put16n(h, 0);                   /* PACKET_HOST */
        put16n(h + 2, 1);               /* ARPHRD_ETHER */
        put16n(h + 4, 6);
        memcpy(h + 6, pkt_srcmac(p), 6);
        put16n(h + 12, 0);
        put16n(h + 14, et);
        return 16;
    case LINK_SLL2:
        put16n(h, et);
        put16n(h + 2, 0);
        put32n(h + 4, 2);               /* interface index */
        put16n(h + 8, 1);               /* ARPHRD_ETHER */
        h[10] = 0;                      /* PACKET_HOST */
        h[11] = 6;
        memcpy(h + 12, pkt_srcmac(p), 6);
        put16n(h + 18, 0);
        return 20;
    case LINK_NULL:
        /* BSD loopback: the family in the writer's byte order; 24 is
         * AF_INET6 on NetBSD/OpenBSD and understood by every reader */
        put32f(h, p->src->ver == 4 ? 2 : 24, w->swapped);
        return 4;
    case LINK_RAW:
    case LINK_USER0:
        return 0;
    }
    return 0;
}

void wire_emit(writer *w, const gpkt *p)
{
    uint8_t frame[2048 + 64];
    size_t lh = link_header(w, p, frame);
    size_t n;
    if (p->ethertype) {
        memcpy(frame + lh, p->payload, p->paylen);
        n = lh + p->paylen;
    } else {
        n = lh + ip_packet(p, frame + lh);
    }
    /* Ethernet frames are at least 60 bytes before the FCS: pad like a NIC */
    if ((w->link == LINK_ETHER || w->link == LINK_VLAN) && n < 60) {
        memset(frame + n, 0, 60 - n);
        n = 60;
    }
    writer_record(w, p->t, frame, (uint32_t)n);
}
