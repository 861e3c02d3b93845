/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * test_reader.c -- unit test of the CLI's capture reader and decoder.
 *
 * Every capture is written by hand (capwrite.c) into a temporary
 * directory, read back through reader_open/reader_next, and each field of
 * the decoded record is checked.  decode_packet is also run directly on
 * every prefix of valid packets (all must be "malformed", none may read
 * past the end: run under -DEXPOSE_SANITIZE=ON to have that checked) and on
 * random bytes.
 */
#define _GNU_SOURCE /* mkdtemp, rand_r, truncate */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capwrite.h"
#include "decode.h"
#include "pcap_reader.h"

static int failures, checks;
static const char *current = "";

#define CHECK(cond) do {                                                      \
        checks++;                                                             \
        if (!(cond)) {                                                        \
            failures++;                                                       \
            fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__,       \
                    __LINE__, current, #cond);                                \
        }                                                                     \
    } while (0)

/* Link types as written in capture files. */
enum { LT_NULL = 0, LT_EN10MB = 1, LT_RAW = 101, LT_LOOP = 108, LT_SLL = 113,
       LT_IPV4 = 228, LT_IPV6 = 229, LT_SLL2 = 276, LT_USER0 = 147 };

enum { ETH_IP = 0x0800, ETH_IP6 = 0x86dd, ETH_ARP = 0x0806 };

static const uint32_t A4 = 0x0a000001;      /* 10.0.0.1 */
static const uint32_t B4 = 0xc0a80135;      /* 192.168.1.53 */
static const uint8_t A6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t B6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0x00, [15] = 0x53 };

static char dir[] = "/tmp/expose-reader-test-XXXXXX";
static char cap_path[256];

/* ------------------------------------------------------------- helpers */

/* Open cap_path and read its first packet into *rec (poisoned first, so
 * that fields the reader forgets to set show up). */
static reader_status read_first(expose_record *rec, expose_skip_reason *why)
{
    char err[READER_ERRBUF_SIZE];
    reader *rd = reader_open(cap_path, err, sizeof err);
    if (!rd) {
        fprintf(stderr, "[%s] reader_open failed: %s\n", current, err);
        failures++;
        return READER_STOPPED;
    }
    memset(rec, 0xaa, sizeof *rec);
    *why = EXPOSE_SKIP__COUNT;
    reader_status st = reader_next(rd, rec, why);
    reader_close(rd);
    return st;
}

/* Write p as the only packet of a microsecond little-endian pcap. */
static reader_status read_packet(uint32_t linktype, const pkt *p, expose_record *rec,
                                 expose_skip_reason *why)
{
    FILE *f = cap_pcap_open(cap_path, linktype, 0, 0);
    cap_pcap_record(f, 0, 1700000000, 250000, p->b, (uint32_t)p->n, (uint32_t)p->n);
    fclose(f);
    return read_first(rec, why);
}

static expose_skip_reason skip_of(uint32_t linktype, const pkt *p)
{
    expose_record rec;
    expose_skip_reason why;
    reader_status st = read_packet(linktype, p, &rec, &why);
    CHECK(st == READER_SKIP);
    return st == READER_SKIP ? why : EXPOSE_SKIP__COUNT;
}

static void v4_bytes(uint32_t a, uint8_t out[16])
{
    memset(out, 0, 16);
    out[0] = (uint8_t)(a >> 24);
    out[1] = (uint8_t)(a >> 16);
    out[2] = (uint8_t)(a >> 8);
    out[3] = (uint8_t)a;
}

static void check_ports(const expose_record *r, uint8_t proto, uint16_t sport,
                        uint16_t dport, uint8_t flags)
{
    CHECK(r->proto == proto);
    CHECK(r->src_port == sport);
    CHECK(r->dst_port == dport);
    CHECK(r->tcp_flags == flags);
    CHECK(r->reserved == 0);
}

static void check_v4(const expose_record *r, uint8_t proto, uint16_t sport,
                     uint16_t dport, uint8_t flags)
{
    uint8_t a[16], b[16];
    v4_bytes(A4, a);
    v4_bytes(B4, b);
    CHECK(r->ip_version == 4);
    CHECK(memcmp(r->src, a, 16) == 0);
    CHECK(memcmp(r->dst, b, 16) == 0);
    check_ports(r, proto, sport, dport, flags);
}

static void check_v6(const expose_record *r, uint8_t proto, uint16_t sport,
                     uint16_t dport, uint8_t flags)
{
    CHECK(r->ip_version == 6);
    CHECK(memcmp(r->src, A6, 16) == 0);
    CHECK(memcmp(r->dst, B6, 16) == 0);
    check_ports(r, proto, sport, dport, flags);
}

/* Expect one mined IPv4/IPv6 record from a single-packet file. */
static void expect_v4(uint32_t linktype, const pkt *p, uint8_t proto, uint16_t sport,
                      uint16_t dport, uint8_t flags)
{
    expose_record rec;
    expose_skip_reason why;
    CHECK(read_packet(linktype, p, &rec, &why) == READER_RECORD);
    check_v4(&rec, proto, sport, dport, flags);
    CHECK(rec.ts_sec == 1700000000);
    CHECK(rec.ts_nsec == 250000000);
    CHECK(rec.length == p->n);
}

static void expect_v6(uint32_t linktype, const pkt *p, uint8_t proto, uint16_t sport,
                      uint16_t dport, uint8_t flags)
{
    expose_record rec;
    expose_skip_reason why;
    CHECK(read_packet(linktype, p, &rec, &why) == READER_RECORD);
    check_v6(&rec, proto, sport, dport, flags);
    CHECK(rec.length == p->n);
}

/* Common packets: TCP SYN 10.0.0.1:40000 -> 192.168.1.53:80, and so on. */
static void tcp4(pkt *p)
{
    pkt_ipv4(p, EXPOSE_TCP, A4, B4, 0);
    pkt_tcp(p, 40000, 80, EXPOSE_TH_SYN);
    pkt_finish(p);
}

static void udp4(pkt *p)
{
    pkt_ipv4(p, EXPOSE_UDP, A4, B4, 0);
    pkt_udp(p, 5353, 53);
    pkt_finish(p);
}

static void udp6(pkt *p)
{
    pkt_ipv6(p, EXPOSE_UDP, A6, B6);
    pkt_udp(p, 546, 547);
    pkt_finish(p);
}

static void tcp6(pkt *p)
{
    pkt_ipv6(p, EXPOSE_TCP, A6, B6);
    pkt_tcp(p, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
    pkt_finish(p);
}

/* --------------------------------------------------------- link layers */

static void test_ethernet(void)
{
    pkt p;
    current = "ethernet ipv4 tcp";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p);
    expect_v4(LT_EN10MB, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "ethernet ipv6 tcp";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6); tcp6(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_TCP, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);

    current = "ethernet padding after a short IPv4 packet";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); udp4(&p); pkt_zero(&p, 18);
    expect_v4(LT_EN10MB, &p, EXPOSE_UDP, 5353, 53, 0);
}

static void test_vlan(void)
{
    pkt p;
    current = "802.1Q";
    pkt_reset(&p); pkt_eth(&p, 0x8100); pkt_vlan(&p, 100, ETH_IP); udp4(&p);
    expect_v4(LT_EN10MB, &p, EXPOSE_UDP, 5353, 53, 0);

    current = "802.1ad + 802.1Q (QinQ)";
    pkt_reset(&p); pkt_eth(&p, 0x88a8); pkt_vlan(&p, 10, 0x8100); pkt_vlan(&p, 20, ETH_IP6);
    udp6(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_UDP, 546, 547, 0);

    current = "0x9100 + 0x8100 + 0x8100";
    pkt_reset(&p); pkt_eth(&p, 0x9100); pkt_vlan(&p, 1, 0x8100); pkt_vlan(&p, 2, 0x8100);
    pkt_vlan(&p, 3, ETH_IP); tcp4(&p);
    expect_v4(LT_EN10MB, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "VLAN-tagged ARP";
    pkt_reset(&p); pkt_eth(&p, 0x8100); pkt_vlan(&p, 100, ETH_ARP); pkt_arp(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_NOT_IP);

    current = "frame ends inside a VLAN tag";
    pkt_reset(&p); pkt_eth(&p, 0x8100); pkt_u16(&p, 100);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);
}

static void test_cooked(void)
{
    pkt p;
    current = "Linux SLL ipv4 icmp";
    pkt_reset(&p); pkt_sll(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_ICMP, A4, B4, 0); pkt_icmp(&p, 8, 0); pkt_finish(&p);
    expect_v4(LT_SLL, &p, EXPOSE_ICMP, 0, 0, 0);

    current = "Linux SLL with a VLAN protocol";
    pkt_reset(&p); pkt_sll(&p, 0x8100); pkt_vlan(&p, 7, ETH_IP); udp4(&p);
    expect_v4(LT_SLL, &p, EXPOSE_UDP, 5353, 53, 0);

    current = "Linux SLL2 ipv6 udp";
    pkt_reset(&p); pkt_sll2(&p, ETH_IP6); udp6(&p);
    expect_v6(LT_SLL2, &p, EXPOSE_UDP, 546, 547, 0);

    current = "Linux SLL2 ipv4 tcp";
    pkt_reset(&p); pkt_sll2(&p, ETH_IP); tcp4(&p);
    expect_v4(LT_SLL2, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "Linux SLL arp";
    pkt_reset(&p); pkt_sll(&p, ETH_ARP); pkt_arp(&p);
    CHECK(skip_of(LT_SLL, &p) == EXPOSE_SKIP_NOT_IP);
}

static void test_raw(void)
{
    pkt p;
    static const uint32_t raw_types[] = { LT_RAW, 12, 14 };
    for (size_t i = 0; i < sizeof raw_types / sizeof raw_types[0]; i++) {
        current = "raw IP, IPv4";
        pkt_reset(&p); tcp4(&p);
        expect_v4(raw_types[i], &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);
        current = "raw IP, IPv6";
        pkt_reset(&p); udp6(&p);
        expect_v6(raw_types[i], &p, EXPOSE_UDP, 546, 547, 0);
    }
    current = "LINKTYPE_IPV4";
    pkt_reset(&p); udp4(&p);
    expect_v4(LT_IPV4, &p, EXPOSE_UDP, 5353, 53, 0);
    current = "LINKTYPE_IPV4 carrying IPv6";
    pkt_reset(&p); udp6(&p);
    CHECK(skip_of(LT_IPV4, &p) == EXPOSE_SKIP_MALFORMED);
    current = "LINKTYPE_IPV6";
    pkt_reset(&p); tcp6(&p);
    expect_v6(LT_IPV6, &p, EXPOSE_TCP, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
    current = "raw IP with version 5";
    pkt_reset(&p); udp4(&p); p.b[0] = 0x55;
    CHECK(skip_of(LT_RAW, &p) == EXPOSE_SKIP_MALFORMED);
}

static void test_loopback(void)
{
    pkt p;
    current = "DLT_NULL AF_INET little-endian";
    pkt_reset(&p); pkt_af(&p, 2, 0); tcp4(&p);
    expect_v4(LT_NULL, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "DLT_NULL AF_INET big-endian";
    pkt_reset(&p); pkt_af(&p, 2, 1); udp4(&p);
    expect_v4(LT_NULL, &p, EXPOSE_UDP, 5353, 53, 0);

    static const uint32_t inet6[] = { 24, 28, 30 };
    for (int i = 0; i < 3; i++) {
        for (int be = 0; be < 2; be++) {
            current = "DLT_NULL AF_INET6 (24/28/30, both byte orders)";
            pkt_reset(&p); pkt_af(&p, inet6[i], be); udp6(&p);
            expect_v6(LT_NULL, &p, EXPOSE_UDP, 546, 547, 0);
        }
    }
    current = "DLT_NULL unknown family";
    pkt_reset(&p); pkt_af(&p, 7, 0); udp4(&p);
    CHECK(skip_of(LT_NULL, &p) == EXPOSE_SKIP_NOT_IP);

    current = "DLT_LOOP AF_INET";
    pkt_reset(&p); pkt_af(&p, 2, 1); tcp4(&p);
    expect_v4(LT_LOOP, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);
    current = "DLT_LOOP AF_INET6 (OpenBSD 24)";
    pkt_reset(&p); pkt_af(&p, 24, 1); tcp6(&p);
    expect_v6(LT_LOOP, &p, EXPOSE_TCP, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
    current = "DLT_LOOP family in host order is not IP";
    pkt_reset(&p); pkt_af(&p, 2, 0); tcp4(&p);
    CHECK(skip_of(LT_LOOP, &p) == EXPOSE_SKIP_NOT_IP);
}

/* ---------------------------------------------------------------- IPv4 */

static void test_ipv4(void)
{
    pkt p;
    current = "ipv4 first fragment with ports";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_UDP, A4, B4, 0x2000); pkt_udp(&p, 1000, 2049); pkt_zero(&p, 100);
    pkt_finish(&p);
    expect_v4(LT_EN10MB, &p, EXPOSE_UDP, 1000, 2049, 0);

    current = "ipv4 non-first fragment";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_UDP, A4, B4, 185); pkt_zero(&p, 40); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_FRAGMENT);

    current = "ipv4 last fragment (MF clear, offset set)";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_TCP, A4, B4, 0x4000 | 1); pkt_zero(&p, 40); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_FRAGMENT);

    current = "ipv4 options (IHL 6)";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_TCP, A4, B4, 0); pkt_u32(&p, 0x01010101);
    pkt_tcp(&p, 40000, 80, EXPOSE_TH_SYN); pkt_finish(&p);
    p.b[14] = 0x46;
    expect_v4(LT_EN10MB, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "ipv4 IHL < 5";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p); p.b[14] = 0x44;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv4 IHL beyond the capture";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); udp4(&p); p.b[14] = 0x4f;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv4 total length shorter than the header";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p); p.b[16] = 0; p.b[17] = 19;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv4 total length cuts the TCP header";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p); p.b[16] = 0; p.b[17] = 30;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv4 total length 0 (segmentation offload)";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p); p.b[16] = 0; p.b[17] = 0;
    expect_v4(LT_EN10MB, &p, EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);

    current = "ethertype IPv4 carrying version 6";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); udp6(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "tcp data offset < 5";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p); p.b[14 + 20 + 12] = 0x40;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "tcp all flags";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_TCP, A4, B4, 0); pkt_tcp(&p, 1, 65535, 0xff); pkt_finish(&p);
    expect_v4(LT_EN10MB, &p, EXPOSE_TCP, 1, 65535, 0xff);
}

static void test_icmp(void)
{
    pkt p;
    current = "icmp error quoting a TCP header: outer header only";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_ICMP, A4, B4, 0); pkt_icmp(&p, 3, 3);
    size_t l3 = p.l3;
    pkt_ipv4(&p, EXPOSE_TCP, B4, A4, 0); pkt_tcp(&p, 80, 40000, EXPOSE_TH_RST);
    pkt_finish(&p);                         /* inner length */
    p.l3 = l3; p.ipv = 4; pkt_finish(&p);   /* outer length */
    expect_v4(LT_EN10MB, &p, EXPOSE_ICMP, 0, 0, 0);

    current = "icmpv6 echo";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, EXPOSE_ICMPV6, A6, B6); pkt_icmp(&p, 128, 0); pkt_finish(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_ICMPV6, 0, 0, 0);

    current = "icmpv6 error quoting a UDP header";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, EXPOSE_ICMPV6, A6, B6); pkt_icmp(&p, 1, 4);
    pkt_ipv6(&p, EXPOSE_UDP, B6, A6); pkt_udp(&p, 53, 5353); pkt_finish(&p);
    p.l3 = 14; pkt_finish(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_ICMPV6, 0, 0, 0);

    current = "icmpv6 inside IPv4 is another protocol";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_ICMPV6, A4, B4, 0); pkt_icmp(&p, 128, 0); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);

    current = "icmp (v4) inside IPv6 is another protocol";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, EXPOSE_ICMP, A6, B6); pkt_icmp(&p, 8, 0); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);

    current = "icmp header cut short";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_ICMP, A4, B4, 0); pkt_u16(&p, 0x0800); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);
}

/* ---------------------------------------------------------------- IPv6 */

static void test_ipv6_ext(void)
{
    pkt p;
    current = "ipv6 hop-by-hop + first fragment + tcp";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, 0, A6, B6); pkt_ip6_ext(&p, 44, 8); pkt_ip6_frag(&p, EXPOSE_TCP, 0, 1);
    pkt_tcp(&p, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK); pkt_zero(&p, 64); pkt_finish(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_TCP, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);

    current = "ipv6 hop-by-hop + non-first fragment";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, 0, A6, B6); pkt_ip6_ext(&p, 44, 8); pkt_ip6_frag(&p, EXPOSE_UDP, 181, 0);
    pkt_zero(&p, 64); pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_FRAGMENT);

    current = "ipv6 routing + destination options (24 bytes) + AH + udp";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, 43, A6, B6); pkt_ip6_ext(&p, 60, 8); pkt_ip6_ext(&p, 51, 24);
    pkt_u8(&p, EXPOSE_UDP); pkt_u8(&p, 4); pkt_zero(&p, 22);   /* AH: (4+2)*4 = 24 */
    pkt_udp(&p, 546, 547); pkt_finish(&p);
    expect_v6(LT_EN10MB, &p, EXPOSE_UDP, 546, 547, 0);

    static const uint8_t other[] = { 50, 59, 41, 4, 47, 89, 132 };
    for (size_t i = 0; i < sizeof other; i++) {
        current = "ipv6 ESP / no next header / tunnels / OSPF / SCTP";
        pkt_reset(&p); pkt_eth(&p, ETH_IP6);
        pkt_ipv6(&p, 60, A6, B6); pkt_ip6_ext(&p, other[i], 8); pkt_zero(&p, 40);
        pkt_finish(&p);
        CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);
    }

    current = "ipv6 extension header longer than the packet";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6);
    pkt_ipv6(&p, 0, A6, B6); pkt_ip6_ext(&p, EXPOSE_UDP, 8); pkt_udp(&p, 1, 2);
    pkt_finish(&p); p.b[14 + 40 + 1] = 5;    /* claims 48 bytes */
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv6 payload length hides the UDP header";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6); udp6(&p); p.b[14 + 5] = 4;
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);

    current = "ipv6 endless chain of destination options";
    pkt_reset(&p); pkt_eth(&p, ETH_IP6); pkt_ipv6(&p, 60, A6, B6);
    for (int i = 0; i < 40; i++)
        pkt_ip6_ext(&p, 60, 8);
    pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);
}

static void test_other_protocols(void)
{
    pkt p;
    current = "arp";
    pkt_reset(&p); pkt_eth(&p, ETH_ARP); pkt_arp(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_NOT_IP);

    current = "802.3 frame with LLC (STP)";
    pkt_reset(&p); pkt_eth(&p, 38); pkt_bytes(&p, "\x42\x42\x03", 3); pkt_zero(&p, 35);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_NOT_IP);

    current = "GRE is reported on the outer header";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 47, A4, B4, 0); pkt_u16(&p, 0); pkt_u16(&p, ETH_IP);
    pkt_ipv4(&p, EXPOSE_TCP, A4, B4, 0); pkt_tcp(&p, 1, 2, EXPOSE_TH_SYN); pkt_finish(&p);
    p.l3 = 14; pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);

    current = "IPv4-in-IPv4 and IPv6-in-IPv4 are not decapsulated";
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 4, A4, B4, 0); tcp4(&p); p.l3 = 14; pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 41, A4, B4, 0); udp6(&p); p.l3 = 14; p.ipv = 4; pkt_finish(&p);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_OTHER_PROTO);

    current = "runt Ethernet frame";
    pkt_reset(&p); pkt_bytes(&p, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x08", 13);
    CHECK(skip_of(LT_EN10MB, &p) == EXPOSE_SKIP_MALFORMED);
}

/* ----------------------------------------------------- file formats */

static void write_two_udp(FILE *f, int big_endian, uint32_t frac0, uint32_t frac1)
{
    pkt p;
    pkt_reset(&p); pkt_eth(&p, ETH_IP); udp4(&p);
    cap_pcap_record(f, big_endian, 1700000000, frac0, p.b, (uint32_t)p.n, 1514);
    cap_pcap_record(f, big_endian, 1700000001, frac1, p.b, (uint32_t)p.n, (uint32_t)p.n);
    fclose(f);
}

/* Read every packet of cap_path; returns the final status. */
static reader_status read_all(expose_record *recs, size_t max, size_t *n, char *err,
                              size_t errlen)
{
    reader *rd = reader_open(cap_path, err, errlen);
    *n = 0;
    if (!rd)
        return READER_STOPPED;
    reader_status st;
    expose_skip_reason why;
    expose_record rec;
    while ((st = reader_next(rd, &rec, &why)) <= READER_SKIP)
        if (st == READER_RECORD && *n < max)
            recs[(*n)++] = rec;
    CHECK(reader_packets(rd) >= *n);
    snprintf(err, errlen, "%s", reader_error(rd));
    reader_close(rd);
    return st;
}

static void test_pcap_variants(void)
{
    expose_record r[4];
    size_t n;
    char err[READER_ERRBUF_SIZE];

    current = "microsecond pcap, little-endian";
    write_two_udp(cap_pcap_open(cap_path, LT_EN10MB, 0, 0), 0, 999999, 1);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 2);
    CHECK(r[0].ts_sec == 1700000000 && r[0].ts_nsec == 999999000);
    CHECK(r[1].ts_sec == 1700000001 && r[1].ts_nsec == 1000);
    CHECK(r[0].length == 1514);              /* wire length, not captured */
    check_v4(&r[1], EXPOSE_UDP, 5353, 53, 0);

    current = "nanosecond pcap";
    write_two_udp(cap_pcap_open(cap_path, LT_EN10MB, 1, 0), 0, 123456789, 999999999);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 2);
    CHECK(r[0].ts_nsec == 123456789);
    CHECK(r[1].ts_sec == 1700000001 && r[1].ts_nsec == 999999999);

    current = "byte-swapped (big-endian) pcap";
    write_two_udp(cap_pcap_open(cap_path, LT_EN10MB, 0, 1), 1, 500000, 7);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 2);
    CHECK(r[0].ts_sec == 1700000000 && r[0].ts_nsec == 500000000);
    CHECK(r[1].ts_nsec == 7000);
    CHECK(r[0].length == 1514);
    check_v4(&r[0], EXPOSE_UDP, 5353, 53, 0);

    current = "byte-swapped nanosecond pcap";
    write_two_udp(cap_pcap_open(cap_path, LT_EN10MB, 1, 1), 1, 5, 6);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 2 && r[0].ts_nsec == 5 && r[1].ts_nsec == 6);
}

static void test_pcapng(void)
{
    expose_record r[4];
    size_t n;
    char err[READER_ERRBUF_SIZE];
    pkt p;

    current = "pcapng, nanosecond if_tsresol";
    FILE *f = cap_pcapng_open(cap_path, LT_EN10MB, 9, 0);
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p);     /* 54 bytes: padded to 56 */
    cap_pcapng_epb(f, 0, 1700000000ull * 1000000000ull + 987654321ull, p.b, (uint32_t)p.n, 60);
    pkt_reset(&p); pkt_eth(&p, ETH_IP6); udp6(&p);
    cap_pcapng_epb(f, 0, 1700000002ull * 1000000000ull, p.b, (uint32_t)p.n, (uint32_t)p.n);
    fclose(f);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 2);
    CHECK(r[0].ts_sec == 1700000000 && r[0].ts_nsec == 987654321);
    CHECK(r[0].length == 60);
    check_v4(&r[0], EXPOSE_TCP, 40000, 80, EXPOSE_TH_SYN);
    CHECK(r[1].ts_sec == 1700000002 && r[1].ts_nsec == 0);
    check_v6(&r[1], EXPOSE_UDP, 546, 547, 0);

    current = "pcapng, default microsecond resolution, raw IP";
    f = cap_pcapng_open(cap_path, LT_RAW, 6, 0);
    pkt_reset(&p); udp4(&p);
    cap_pcapng_epb(f, 0, 1700000000ull * 1000000ull + 654321ull, p.b, (uint32_t)p.n, (uint32_t)p.n);
    fclose(f);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 1);
    CHECK(r[0].ts_sec == 1700000000 && r[0].ts_nsec == 654321000);
    check_v4(&r[0], EXPOSE_UDP, 5353, 53, 0);

    current = "pcapng, big-endian section, millisecond resolution, SLL2";
    f = cap_pcapng_open(cap_path, LT_SLL2, 3, 1);
    pkt_reset(&p); pkt_sll2(&p, ETH_IP6); tcp6(&p);
    cap_pcapng_epb(f, 1, 1700000000ull * 1000ull + 42ull, p.b, (uint32_t)p.n, 1500);
    fclose(f);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 1);
    CHECK(r[0].ts_sec == 1700000000 && r[0].ts_nsec == 42000000);
    CHECK(r[0].length == 1500);
    check_v6(&r[0], EXPOSE_TCP, 50000, 443, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
}

static void test_damaged_files(void)
{
    expose_record r[4];
    size_t n;
    char err[READER_ERRBUF_SIZE];
    pkt p;
    struct stat st;

    current = "truncated last record";
    FILE *f = cap_pcap_open(cap_path, LT_EN10MB, 0, 0);
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p);
    cap_pcap_record(f, 0, 1700000000, 0, p.b, (uint32_t)p.n, (uint32_t)p.n);
    cap_pcap_record(f, 0, 1700000000, 1, p.b, (uint32_t)p.n, (uint32_t)p.n);
    fclose(f);
    CHECK(stat(cap_path, &st) == 0);
    CHECK(truncate(cap_path, st.st_size - 10) == 0);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_STOPPED);
    CHECK(n == 1);
    CHECK(strstr(err, "truncated") != NULL);

    current = "truncated record header";
    CHECK(truncate(cap_path, 24 + 16 + (off_t)p.n + 7) == 0);
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_STOPPED);
    CHECK(n == 1);

    current = "corrupt record header (absurd caplen)";
    f = cap_pcap_open(cap_path, LT_EN10MB, 0, 0);
    cap_pcap_record(f, 0, 1700000000, 0, p.b, (uint32_t)p.n, (uint32_t)p.n);
    cap_pcap_record(f, 0, 1700000000, 1, p.b, 0, 0);
    fclose(f);
    CHECK(truncate(cap_path, 24 + 16 + (off_t)p.n + 8) == 0);       /* keep sec+usec */
    f = fopen(cap_path, "ab");
    CHECK(f != NULL);
    if (f) {
        fwrite("\xf0\xff\xff\x7f\xf0\xff\xff\x7f", 1, 8, f);     /* caplen, len */
        fwrite(p.b, 1, p.n, f);
        fclose(f);
    }
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_STOPPED);
    CHECK(n == 1);
    CHECK(err[0] != '\0');

    current = "header only: no packets";
    fclose(cap_pcap_open(cap_path, LT_EN10MB, 0, 0));
    CHECK(read_all(r, 4, &n, err, sizeof err) == READER_END);
    CHECK(n == 0);
}

/* reader_open must refuse; err must contain want. */
static void expect_refused(const char *path, const char *want)
{
    char err[READER_ERRBUF_SIZE] = "";
    reader *rd = reader_open(path, err, sizeof err);
    CHECK(rd == NULL);
    CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want))
        fprintf(stderr, "[%s]   message was: '%s', wanted '%s'\n", current, err, want);
    reader_close(rd);
}

static void test_refused(void)
{
    pkt p;
    char path[300];

    current = "missing file";
    snprintf(path, sizeof path, "%s/does-not-exist.pcap", dir);
    expect_refused(path, "No such file");

    current = "directory";
    expect_refused(dir, "directory");

    current = "empty file";
    fclose(fopen(cap_path, "wb"));
    expect_refused(cap_path, "empty");

    current = "text file";
    FILE *f = fopen(cap_path, "wb");
    fputs("this is not a capture, just some text\n", f);
    fclose(f);
    expect_refused(cap_path, "not a pcap or pcapng");

    current = "file shorter than a pcap header";
    f = fopen(cap_path, "wb");
    fwrite("\xd4\xc3\xb2\xa1\x02\x00", 1, 6, f);
    fclose(f);
    expect_refused(cap_path, "not a capture");

    current = "unknown link type USER0";
    f = cap_pcap_open(cap_path, LT_USER0, 0, 0);
    pkt_reset(&p); udp4(&p);
    cap_pcap_record(f, 0, 1, 0, p.b, (uint32_t)p.n, (uint32_t)p.n);
    fclose(f);
    expect_refused(cap_path, "unsupported link type 147 (USER0)");

    current = "unknown link type in pcapng (802.11)";
    fclose(cap_pcapng_open(cap_path, 105, 6, 0));
    expect_refused(cap_path, "unsupported link type 105");
}

/* ------------------------------------------------------ direct decoder */

/* Every proper prefix of a packet whose last header is complete only at
 * its very end must be malformed.  Each prefix sits in a buffer of
 * exactly its size, so a sanitizer build catches any over-read. */
static void expect_prefixes_malformed(decode_link link, const pkt *p)
{
    for (size_t k = 0; k < p->n; k++) {
        uint8_t *buf = malloc(k ? k : 1);
        memcpy(buf, p->b, k);
        expose_record rec;
        int d = decode_packet(link, buf, (uint32_t)k, &rec);
        CHECK(d == EXPOSE_SKIP_MALFORMED);
        if (d != EXPOSE_SKIP_MALFORMED)
            fprintf(stderr, "[%s]   prefix of %zu bytes gave %d\n", current, k, d);
        free(buf);
    }
    expose_record rec;
    CHECK(decode_packet(link, p->b, (uint32_t)p->n, &rec) == DECODE_OK);
}

static void test_prefixes(void)
{
    pkt p;
    current = "prefixes: ethernet/ipv4/tcp";
    pkt_reset(&p); pkt_eth(&p, ETH_IP); tcp4(&p);
    expect_prefixes_malformed(DECODE_LINK_ETHERNET, &p);

    current = "prefixes: QinQ/ipv6/hop-by-hop/fragment/udp";
    pkt_reset(&p); pkt_eth(&p, 0x88a8); pkt_vlan(&p, 1, 0x8100); pkt_vlan(&p, 2, ETH_IP6);
    pkt_ipv6(&p, 0, A6, B6); pkt_ip6_ext(&p, 44, 16); pkt_ip6_frag(&p, EXPOSE_UDP, 0, 1);
    pkt_udp(&p, 1, 2); pkt_finish(&p);
    expect_prefixes_malformed(DECODE_LINK_ETHERNET, &p);

    current = "prefixes: SLL/ipv4/udp";
    pkt_reset(&p); pkt_sll(&p, ETH_IP); udp4(&p);
    expect_prefixes_malformed(DECODE_LINK_SLL, &p);

    current = "prefixes: SLL2/ipv6/tcp";
    pkt_reset(&p); pkt_sll2(&p, ETH_IP6); tcp6(&p);
    expect_prefixes_malformed(DECODE_LINK_SLL2, &p);

    current = "prefixes: NULL/ipv6/AH/udp";
    pkt_reset(&p); pkt_af(&p, 30, 0); pkt_ipv6(&p, 51, A6, B6);
    pkt_u8(&p, EXPOSE_UDP); pkt_u8(&p, 1); pkt_zero(&p, 10); pkt_udp(&p, 9, 10); pkt_finish(&p);
    expect_prefixes_malformed(DECODE_LINK_NULL, &p);

    current = "prefixes: LOOP/ipv4/tcp";
    pkt_reset(&p); pkt_af(&p, 2, 1); tcp4(&p);
    expect_prefixes_malformed(DECODE_LINK_LOOP, &p);

    current = "prefixes: raw ipv4/udp";
    pkt_reset(&p); udp4(&p);
    expect_prefixes_malformed(DECODE_LINK_RAW, &p);
}

/* Nudge random bytes towards the interesting paths: a link header that
 * announces IP, and an IP version nibble that matches. */
static void steer(decode_link link, uint8_t *buf, size_t n, unsigned *seed)
{
    static const uint16_t types[] = { ETH_IP, ETH_IP6, 0x8100, 0x88a8, ETH_ARP };
    uint16_t t = types[rand_r(seed) % 5];
    size_t type_at = 0, ip_at = 0;
    switch (link) {
    case DECODE_LINK_ETHERNET: type_at = 12; ip_at = 14; break;
    case DECODE_LINK_SLL:      type_at = 14; ip_at = 16; break;
    case DECODE_LINK_SLL2:     type_at = 0;  ip_at = 20; break;
    case DECODE_LINK_NULL:
    case DECODE_LINK_LOOP:
        if (n >= 4)
            memcpy(buf, t == ETH_IP6 ? "\0\0\0\x1e" : "\x02\0\0\0", 4);
        ip_at = 4;
        break;
    default:
        break;
    }
    if (type_at + ip_at > 0 && link != DECODE_LINK_NULL && link != DECODE_LINK_LOOP &&
        n >= type_at + 2) {
        buf[type_at] = (uint8_t)(t >> 8);
        buf[type_at + 1] = (uint8_t)t;
    }
    if (n <= ip_at + 9 || rand_r(seed) % 4 == 0)
        return;
    static const uint8_t protos[] = { EXPOSE_TCP, EXPOSE_UDP, EXPOSE_ICMP, EXPOSE_ICMPV6,
                                      0, 44, 60 };
    uint8_t proto = protos[rand_r(seed) % sizeof protos];
    if (t == ETH_IP6) {
        buf[ip_at] = 0x60;
        buf[ip_at + 6] = proto;
    } else {
        buf[ip_at] = 0x45;
        buf[ip_at + 2] = 0;                 /* total length: what was captured */
        buf[ip_at + 3] = 0;
        buf[ip_at + 6] &= 0xe0;             /* not a later fragment */
        buf[ip_at + 7] = 0;
        buf[ip_at + 9] = proto;
    }
}

/* Random bytes on every link type: the decoder must return a known
 * answer and never read out of bounds. */
static void test_random_bytes(void)
{
    static const decode_link links[] = {
        DECODE_LINK_ETHERNET, DECODE_LINK_SLL, DECODE_LINK_SLL2, DECODE_LINK_RAW,
        DECODE_LINK_IPV4, DECODE_LINK_IPV6, DECODE_LINK_NULL, DECODE_LINK_LOOP };
    unsigned seed = 12345;
    int ok = 0;
    current = "random bytes";
    for (int i = 0; i < 400000; i++) {
        size_t n = (size_t)(rand_r(&seed) % 160);
        uint8_t *buf = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)rand_r(&seed);
        decode_link link = links[i % 8];
        steer(link, buf, n, &seed);
        expose_record rec;
        int d = decode_packet(link, buf, (uint32_t)n, &rec);
        CHECK(d == DECODE_OK || (d >= 0 && d < EXPOSE_SKIP__COUNT && d != EXPOSE_SKIP_LINKTYPE));
        if (d == DECODE_OK) {
            ok++;
            CHECK(rec.ip_version == 4 || rec.ip_version == 6);
            CHECK(rec.proto == EXPOSE_TCP || rec.proto == EXPOSE_UDP ||
                  rec.proto == (rec.ip_version == 4 ? EXPOSE_ICMP : EXPOSE_ICMPV6));
        }
        free(buf);
    }
    CHECK(ok > 1000);                       /* the steering reached the transports */
    CHECK(decode_link_from_dlt(147) == DECODE_LINK_UNSUPPORTED);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 99;
    }
    snprintf(cap_path, sizeof cap_path, "%s/capture", dir);

    test_ethernet();
    test_vlan();
    test_cooked();
    test_raw();
    test_loopback();
    test_ipv4();
    test_icmp();
    test_ipv6_ext();
    test_other_protocols();
    test_pcap_variants();
    test_pcapng();
    test_damaged_files();
    test_refused();
    test_prefixes();
    test_random_bytes();

    unlink(cap_path);
    rmdir(dir);
    printf("test_reader: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
