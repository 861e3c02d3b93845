/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * mkcases.c -- small pcaps with the packets on which a Wireshark tap and a
 * libpcap reader could disagree about what a packet "is".
 *
 *     mkcases edge OUT.pcap    tunnels, ICMP errors, fragments (in and out
 *                              of order), IPv6 extension headers, VLAN,
 *                              truncated and non-IP frames: both readers
 *                              must mine exactly the same records
 *     mkcases mpls OUT.pcap    IPv4 inside MPLS: Wireshark sees the IP
 *                              packet, the CLI reader (Ethernet, VLAN only)
 *                              does not -- a documented disagreement
 *
 * Each trace repeats its pattern once a second for 30 s so that it can be
 * mined (the core refuses fewer than 10 windows).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS 30
#define T0 1700000000u

typedef struct pkt {
    uint8_t b[2048];
    size_t  n;
} pkt;

static FILE *out;
static uint32_t now_sec, now_usec;

/* ------------------------------------------------------------ writing */

static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }   /* host order, */
static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }   /* as the magic says */

static void write_header(void)
{
    put32(out, 0xa1b2c3d4);
    put16(out, 2);
    put16(out, 4);
    put32(out, 0);
    put32(out, 0);
    put32(out, 65535);
    put32(out, 1);                        /* Ethernet */
}

static void emit(const pkt *p)
{
    now_usec += 1000;                     /* 1 ms apart, always increasing */
    put32(out, now_sec);
    put32(out, now_usec);
    put32(out, (uint32_t)p->n);
    put32(out, (uint32_t)p->n);
    fwrite(p->b, 1, p->n, out);
}

/* ------------------------------------------------------------ helpers */

static void be16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static unsigned fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return ~acc & 0xffff;
}

static void put(pkt *p, const void *data, size_t n)
{
    memcpy(p->b + p->n, data, n);
    p->n += n;
}

static void zeros(pkt *p, size_t n)
{
    memset(p->b + p->n, 0, n);
    p->n += n;
}

static void ip4(uint8_t a[4], unsigned x, unsigned y, unsigned z, unsigned w)
{
    a[0] = (uint8_t)x; a[1] = (uint8_t)y; a[2] = (uint8_t)z; a[3] = (uint8_t)w;
}

static void ip6(uint8_t a[16], unsigned first, unsigned last)
{
    memset(a, 0, 16);
    be16(a, first);                       /* fd00:: or ff02:: */
    be16(a + 14, last);
}

/* ------------------------------------------------------------ headers */

static void eth(pkt *p, unsigned type)
{
    static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
    put(p, macs, 12);
    be16(p->b + p->n, type);
    p->n += 2;
}

static void vlan(pkt *p, unsigned id, unsigned type)
{
    be16(p->b + p->n, id);
    be16(p->b + p->n + 2, type);
    p->n += 4;
}

/* IPv4 header; total = header + payload length, frag = flags|offset. */
static void ipv4(pkt *p, unsigned proto, const uint8_t src[4], const uint8_t dst[4],
                 size_t payload, unsigned id, unsigned frag)
{
    uint8_t *h = p->b + p->n;
    memset(h, 0, 20);
    h[0] = 0x45;
    be16(h + 2, (unsigned)(20 + payload));
    be16(h + 4, id);
    be16(h + 6, frag);
    h[8] = 64;
    h[9] = (uint8_t)proto;
    memcpy(h + 12, src, 4);
    memcpy(h + 16, dst, 4);
    be16(h + 10, fold(sum16(h, 20, 0)));
    p->n += 20;
}

static void ipv6(pkt *p, unsigned nh, const uint8_t src[16], const uint8_t dst[16], size_t payload)
{
    uint8_t *h = p->b + p->n;
    memset(h, 0, 40);
    h[0] = 0x60;
    be16(h + 4, (unsigned)payload);
    h[6] = (uint8_t)nh;
    h[7] = 64;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    p->n += 40;
}

/* An 8-byte extension header (hop-by-hop or destination options: PadN). */
static void ext8(pkt *p, unsigned nh)
{
    uint8_t h[8] = { (uint8_t)nh, 0, 1, 4, 0, 0, 0, 0 };
    put(p, h, 8);
}

static void frag6(pkt *p, unsigned nh, unsigned offset8, int more, uint32_t id)
{
    uint8_t h[8] = { (uint8_t)nh, 0, 0, 0, (uint8_t)(id >> 24), (uint8_t)(id >> 16),
                     (uint8_t)(id >> 8), (uint8_t)id };
    be16(h + 2, offset8 << 3 | (more ? 1 : 0));
    put(p, h, 8);
}

static void udp(pkt *p, unsigned sport, unsigned dport, size_t payload)
{
    uint8_t *h = p->b + p->n;
    be16(h, sport);
    be16(h + 2, dport);
    be16(h + 4, (unsigned)(8 + payload));
    be16(h + 6, 0);                       /* no checksum: not verified by default */
    p->n += 8;
}

static void tcp(pkt *p, unsigned sport, unsigned dport, unsigned flags, uint32_t seq)
{
    uint8_t *h = p->b + p->n;
    memset(h, 0, 20);
    be16(h, sport);
    be16(h + 2, dport);
    be16(h + 4, seq >> 16);
    be16(h + 6, seq & 0xffff);
    h[12] = 0x50;
    h[13] = (uint8_t)flags;
    be16(h + 14, 8192);
    p->n += 20;
}

/* ICMP / ICMPv6 header with the 4 unused bytes; the checksum is left 0. */
static void icmp(pkt *p, unsigned type, unsigned code)
{
    uint8_t h[8] = { (uint8_t)type, (uint8_t)code, 0, 0, 0, 0, 0, 0 };
    put(p, h, 8);
}

/* ------------------------------------------------------- edge packets */

static uint8_t A[4], DNS[4], WEB[4], R99[4], G1[4], G2[4], T1[4], T2[4], V1[4], V2[4];
static uint8_t A6[16], DNS6[16], B6[16], R6[16], MLD6[16];

static void addresses(void)
{
    ip4(A, 10, 0, 0, 1);      ip4(DNS, 10, 0, 0, 53);   ip4(WEB, 10, 0, 0, 80);
    ip4(R99, 10, 0, 0, 99);   ip4(G1, 192, 168, 100, 1); ip4(G2, 192, 168, 100, 2);
    ip4(T1, 10, 1, 0, 1);     ip4(T2, 10, 1, 0, 2);
    ip4(V1, 172, 16, 0, 1);   ip4(V2, 172, 16, 0, 2);
    ip6(A6, 0xfd00, 1); ip6(DNS6, 0xfd00, 0x53); ip6(B6, 0xfd00, 2); ip6(R6, 0xfd00, 0x99);
    ip6(MLD6, 0xff02, 0x16);
}

static void dns_exchange(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x0800); ipv4(&p, 17, A, DNS, 8 + 20, t, 0); udp(&p, 30000 + t, 53, 20); zeros(&p, 20);
    emit(&p);
    p.n = 0;
    eth(&p, 0x0800); ipv4(&p, 17, DNS, A, 8 + 40, t, 0); udp(&p, 53, 30000 + t, 40); zeros(&p, 40);
    emit(&p);
}

static void web_connection(unsigned t)
{
    static const unsigned flags[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x11, 0x10 };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        pkt p = { .n = 0 };
        int from_client = !(i == 1 || i == 5);
        eth(&p, 0x0800);
        ipv4(&p, 6, from_client ? A : WEB, from_client ? WEB : A, 20, t, 0x4000);
        tcp(&p, from_client ? 40000 + t : 80, from_client ? 80 : 40000 + t, flags[i], 1000 + i);
        emit(&p);
    }
}

/* Port unreachable for a UDP probe: the quoted header must not make a
 * flow 10.0.0.1:50000+t -> 10.0.0.99:33434. */
static void icmp_error(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x0800);
    ipv4(&p, 1, R99, A, 8 + 20 + 8, t, 0);
    icmp(&p, 3, 3);
    ipv4(&p, 17, A, R99, 8 + 12, 7000 + t, 0);
    udp(&p, 50000 + t, 33434, 12);
    emit(&p);
}

static void icmp_echo(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x0800); ipv4(&p, 1, A, R99, 8 + 16, t, 0); icmp(&p, 8, 0); zeros(&p, 16);
    emit(&p);
}

/* IP over GRE, IP in IP, IPv6 in IPv4: outer header, "other protocol". */
static void ip_tunnels(unsigned t)
{
    pkt p = { .n = 0 };
    static const uint8_t gre[4] = { 0, 0, 0x08, 0x00 };
    eth(&p, 0x0800); ipv4(&p, 47, G1, G2, 4 + 20 + 20, t, 0); put(&p, gre, 4);
    ipv4(&p, 6, T1, T2, 20, t, 0); tcp(&p, 1234, 22, 0x18, t);
    emit(&p);
    p.n = 0;
    eth(&p, 0x0800); ipv4(&p, 4, G1, G2, 20 + 8 + 4, t, 0);
    ipv4(&p, 17, T1, T2, 8 + 4, t, 0); udp(&p, 1111, 2222, 4); zeros(&p, 4);
    emit(&p);
    p.n = 0;
    eth(&p, 0x0800); ipv4(&p, 41, G1, G2, 40 + 8 + 4, t, 0);
    ipv6(&p, 17, A6, B6, 8 + 4); udp(&p, 1111, 2222, 4); zeros(&p, 4);
    emit(&p);
}

/* VXLAN: the outer UDP flow counts, not the tunnelled TCP one. */
static void vxlan(unsigned t)
{
    pkt p = { .n = 0 };
    static const uint8_t hdr[8] = { 0x08, 0, 0, 0, 0, 0, 42, 0 };
    eth(&p, 0x0800); ipv4(&p, 17, V1, V2, 8 + 8 + 14 + 20 + 20, t, 0);
    udp(&p, 49152, 4789, 8 + 14 + 20 + 20); put(&p, hdr, 8);
    eth(&p, 0x0800); ipv4(&p, 6, T1, T2, 20, t, 0); tcp(&p, 5555, 443, 0x02, t);
    emit(&p);
}

/* A 64-byte UDP datagram in three IPv4 fragments; on odd seconds the last
 * fragment comes first, so reassembly completes in the first fragment. */
static void fragment4(pkt *p, unsigned t, int which)
{
    static const unsigned offs[3] = { 0, 3, 6 };      /* in 8-byte units */
    static const size_t lens[3] = { 24, 24, 24 };     /* 8 UDP + 64 data = 72 */
    eth(p, 0x0800);
    ipv4(p, 17, A, DNS, lens[which], 9000 + t, offs[which] | (which < 2 ? 0x2000 : 0));
    if (which == 0) {
        udp(p, 6000, 7000, 64);
        zeros(p, 16);
    } else {
        zeros(p, lens[which]);
    }
}

static void fragments4(unsigned t)
{
    static const int order[2][3] = { { 0, 1, 2 }, { 2, 1, 0 } };
    for (int i = 0; i < 3; i++) {
        pkt p = { .n = 0 };
        fragment4(&p, t, order[t & 1][i]);
        emit(&p);
    }
}

static void ipv6_ext(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x86dd); ipv6(&p, 0, A6, DNS6, 8 + 8 + 8 + 12);
    ext8(&p, 60); ext8(&p, 17); udp(&p, 31000 + t, 53, 12); zeros(&p, 12);
    emit(&p);
    p.n = 0;                                  /* AH, then TCP */
    static const uint8_t ah[12] = { 6, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
    eth(&p, 0x86dd); ipv6(&p, 51, A6, B6, 12 + 20); put(&p, ah, 12);
    tcp(&p, 32000 + t, 8080, 0x02, t);
    emit(&p);
}

static void fragments6(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x86dd); ipv6(&p, 44, A6, DNS6, 8 + 8 + 24);
    frag6(&p, 17, 0, 1, 0x100 + t); udp(&p, 6000, 7000, 48); zeros(&p, 24);
    emit(&p);
    p.n = 0;
    eth(&p, 0x86dd); ipv6(&p, 44, A6, DNS6, 8 + 24);
    frag6(&p, 17, 4, 0, 0x100 + t); zeros(&p, 24);
    emit(&p);
}

static void icmp6(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x86dd); ipv6(&p, 58, A6, B6, 8 + 8); icmp(&p, 128, 0); zeros(&p, 8);
    emit(&p);
    p.n = 0;                                  /* MLD report behind hop-by-hop */
    static const uint8_t hbh[8] = { 58, 0, 5, 2, 0, 0, 1, 0 };
    eth(&p, 0x86dd); ipv6(&p, 0, A6, MLD6, 8 + 24); put(&p, hbh, 8);
    icmp(&p, 143, 0); zeros(&p, 16);
    emit(&p);
    p.n = 0;                                  /* unreachable, quoting TCP */
    eth(&p, 0x86dd); ipv6(&p, 58, R6, A6, 8 + 40 + 20); icmp(&p, 1, 4);
    ipv6(&p, 6, A6, R6, 20); tcp(&p, 33000 + t, 9999, 0x02, t);
    emit(&p);
}

static void odd_frames(unsigned t)
{
    pkt p = { .n = 0 };
    eth(&p, 0x8100); vlan(&p, 7, 0x0800);     /* VLAN-tagged TCP */
    ipv4(&p, 6, A, WEB, 20, t, 0); tcp(&p, 34000 + t, 443, 0x02, t);
    emit(&p);
    p.n = 0;                                  /* ARP request */
    eth(&p, 0x0806); zeros(&p, 28);
    p.b[14 + 1] = 1; p.b[14 + 2] = 8; p.b[14 + 4] = 6; p.b[14 + 5] = 4; p.b[14 + 7] = 1;
    emit(&p);
    p.n = 0;                                  /* TCP header cut short */
    eth(&p, 0x0800); ipv4(&p, 6, A, WEB, 10, t, 0); zeros(&p, 10);
    emit(&p);
    p.n = 0;                                  /* ESP */
    eth(&p, 0x0800); ipv4(&p, 50, G1, G2, 16, t, 0); zeros(&p, 16);
    emit(&p);
}

/* The patterns come and go on different seconds, so that flows are not
 * present in every window (those are dropped) and rules can form. */
static void edge_second(unsigned t)
{
    if (t % 3 != 2) {
        dns_exchange(t);
        web_connection(t);
        fragments4(t);
    }
    if (t % 2 == 0) {
        icmp_error(t);
        icmp_echo(t);
    }
    ip_tunnels(t);
    if (t % 3 == 0)
        vxlan(t);
    if (t % 2 == 1) {
        ipv6_ext(t);
        fragments6(t);
    }
    if (t % 3 == 1)
        icmp6(t);
    if (t % 5 != 0)
        odd_frames(t);
}

/* ------------------------------------------------------- mpls packets */

static void mpls_second(unsigned t)
{
    static const uint8_t label[4] = { 0x00, 0x01, 0x01, 0x40 };   /* label 16, S, TTL 64 */
    pkt p = { .n = 0 };
    if (t % 3 == 2)
        return;
    dns_exchange(t);
    eth(&p, 0x8847); put(&p, label, 4);
    ipv4(&p, 6, A, WEB, 20, t, 0); tcp(&p, 36000 + t, 80, 0x02, t);
    emit(&p);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "edge") && strcmp(argv[1], "mpls"))) {
        fprintf(stderr, "usage: mkcases edge|mpls OUT.pcap\n");
        return 2;
    }
    out = fopen(argv[2], "wb");
    if (out == NULL) {
        perror(argv[2]);
        return 1;
    }
    addresses();
    write_header();
    for (unsigned t = 0; t < SECONDS; t++) {
        now_sec = T0 + t;
        now_usec = 0;
        if (!strcmp(argv[1], "edge"))
            edge_second(t);
        else
            mpls_second(t);
    }
    return fclose(out) == 0 ? 0 : 1;
}
