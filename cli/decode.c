/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * decode.c -- link layer, IPv4/IPv6 and transport headers of one packet.
 *
 * Every header is bounds-checked against the captured length; a header
 * that does not fit is EXPOSE_SKIP_MALFORMED.  The IP length fields only
 * ever shrink the bytes considered (Ethernet pads short frames), they
 * never extend them past what was captured.
 *
 * Tunnels are not decapsulated: for IP-in-IP (protocol 4 and 41) and GRE
 * the outer packet is what the reader reports, and since its protocol is
 * neither TCP, UDP nor ICMP it counts as EXPOSE_SKIP_OTHER_PROTO.  ICMP
 * errors quote the header of the packet that caused them; only the outer
 * ICMP header counts, the quoted one is never looked at.
 */
#include "decode.h"

#include <string.h>

/* Ethertypes. */
enum {
    ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86dd,
    ETH_8021Q = 0x8100, ETH_8021AD = 0x88a8, ETH_QINQ_OLD = 0x9100,
};

/* Address family values seen in BSD loopback headers.  AF_INET is 2
 * everywhere; AF_INET6 differs: 24 on NetBSD/OpenBSD/BSD/OS, 28 on
 * FreeBSD/DragonFly, 30 on macOS. */
enum { BSD_AF_INET = 2, BSD_AF_INET6_NETBSD = 24, BSD_AF_INET6_FREEBSD = 28,
       BSD_AF_INET6_DARWIN = 30 };

/* IPv6 extension headers that may precede the transport header. */
enum { IP6_HOPOPTS = 0, IP6_ROUTING = 43, IP6_FRAGMENT = 44, IP6_AH = 51,
       IP6_DSTOPTS = 60 };

/* A packet with more extension headers than this is treated as malformed
 * rather than walked further (real stacks use at most a handful). */
#define IP6_MAX_EXT_HEADERS 16

/* Link-layer header sizes. */
enum { ETH_HLEN = 14, VLAN_TAG_LEN = 4, SLL_HLEN = 16, SLL2_HLEN = 20,
       LOOP_HLEN = 4 };

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

decode_link decode_link_from_dlt(int dlt)
{
    switch (dlt) {
    case 0:   return DECODE_LINK_NULL;      /* DLT_NULL */
    case 1:   return DECODE_LINK_ETHERNET;  /* DLT_EN10MB */
    case 12:                                /* DLT_RAW on most systems */
    case 14:                                /* DLT_RAW on OpenBSD and BSD/OS */
    case 101: return DECODE_LINK_RAW;       /* LINKTYPE_RAW, if not mapped */
    case 108: return DECODE_LINK_LOOP;      /* DLT_LOOP */
    case 113: return DECODE_LINK_SLL;       /* DLT_LINUX_SLL */
    case 228: return DECODE_LINK_IPV4;      /* DLT_IPV4 */
    case 229: return DECODE_LINK_IPV6;      /* DLT_IPV6 */
    case 276: return DECODE_LINK_SLL2;      /* DLT_LINUX_SLL2 */
    default:  return DECODE_LINK_UNSUPPORTED;
    }
}

/* Ports and flags from the transport header at p (n bytes available).
 * icmp is the ICMP protocol number valid for this IP version. */
static int decode_transport(uint8_t proto, uint8_t icmp, const uint8_t *p,
                            uint32_t n, expose_record *rec)
{
    rec->src_port = 0;
    rec->dst_port = 0;
    rec->tcp_flags = 0;
    if (proto == EXPOSE_TCP) {
        /* Whole fixed header, and a data offset that covers it. */
        if (n < 20 || (p[12] >> 4) < 5)
            return EXPOSE_SKIP_MALFORMED;
        rec->src_port = get16(p);
        rec->dst_port = get16(p + 2);
        rec->tcp_flags = p[13];
    } else if (proto == EXPOSE_UDP) {
        if (n < 8)
            return EXPOSE_SKIP_MALFORMED;
        rec->src_port = get16(p);
        rec->dst_port = get16(p + 2);
    } else if (proto == icmp) {
        /* Type, code, checksum; nothing after them is read. */
        if (n < 4)
            return EXPOSE_SKIP_MALFORMED;
    } else {
        return EXPOSE_SKIP_OTHER_PROTO;
    }
    rec->proto = proto;
    return DECODE_OK;
}

static int decode_ipv4(const uint8_t *p, uint32_t n, expose_record *rec)
{
    if (n < 20 || (p[0] >> 4) != 4)
        return EXPOSE_SKIP_MALFORMED;
    uint32_t ihl = (uint32_t)(p[0] & 0x0f) * 4;
    uint32_t total = get16(p + 2);
    if (ihl < 20 || ihl > n)
        return EXPOSE_SKIP_MALFORMED;
    /* A total length of 0 comes from captures taken before segmentation
     * offload filled it in; the captured bytes are all we have then. */
    if (total != 0) {
        if (total < ihl)
            return EXPOSE_SKIP_MALFORMED;
        if (total < n)
            n = total;
    }
    if (get16(p + 6) & 0x1fff)              /* fragment offset */
        return EXPOSE_SKIP_FRAGMENT;
    rec->ip_version = 4;
    memcpy(rec->src, p + 12, 4);
    memset(rec->src + 4, 0, 12);
    memcpy(rec->dst, p + 16, 4);
    memset(rec->dst + 4, 0, 12);
    return decode_transport(p[9], EXPOSE_ICMP, p + ihl, n - ihl, rec);
}

/* Length of the IPv6 extension header at p, or 0 if it does not fit in n
 * bytes.  Sets *fragment when it is a non-first fragment header. */
static uint32_t ipv6_ext_len(uint8_t nh, const uint8_t *p, uint32_t n, int *fragment)
{
    uint32_t len;
    if (n < 8)                              /* every extension header is >= 8 */
        return 0;
    if (nh == IP6_FRAGMENT) {
        len = 8;
        *fragment = (get16(p + 2) & 0xfff8) != 0;
    } else if (nh == IP6_AH) {
        len = ((uint32_t)p[1] + 2) * 4;     /* in 4-byte units, minus 2 */
    } else {
        len = ((uint32_t)p[1] + 1) * 8;     /* in 8-byte units, minus 1 */
    }
    return len <= n ? len : 0;
}

static int decode_ipv6(const uint8_t *p, uint32_t n, expose_record *rec)
{
    if (n < 40 || (p[0] >> 4) != 6)
        return EXPOSE_SKIP_MALFORMED;
    /* Payload length 0 means a jumbogram or an offloaded segment: use what
     * was captured. */
    uint32_t payload = get16(p + 4);
    if (payload != 0 && payload < n - 40)
        n = 40 + payload;
    rec->ip_version = 6;
    memcpy(rec->src, p + 8, 16);
    memcpy(rec->dst, p + 24, 16);

    uint8_t nh = p[6];
    p += 40;
    n -= 40;
    for (int i = 0; i < IP6_MAX_EXT_HEADERS; i++) {
        if (nh != IP6_HOPOPTS && nh != IP6_ROUTING && nh != IP6_FRAGMENT &&
            nh != IP6_AH && nh != IP6_DSTOPTS)
            return decode_transport(nh, EXPOSE_ICMPV6, p, n, rec);
        int fragment = 0;
        uint32_t len = ipv6_ext_len(nh, p, n, &fragment);
        if (len == 0)
            return EXPOSE_SKIP_MALFORMED;
        if (fragment)
            return EXPOSE_SKIP_FRAGMENT;
        nh = p[0];
        p += len;
        n -= len;
    }
    return EXPOSE_SKIP_MALFORMED;
}

/* Whatever follows an ethertype, skipping any stack of VLAN tags. */
static int decode_ethertype(uint16_t type, const uint8_t *p, uint32_t n,
                            expose_record *rec)
{
    while (type == ETH_8021Q || type == ETH_8021AD || type == ETH_QINQ_OLD) {
        if (n < VLAN_TAG_LEN)
            return EXPOSE_SKIP_MALFORMED;
        type = get16(p + 2);                /* the tag is TCI, then a type */
        p += VLAN_TAG_LEN;
        n -= VLAN_TAG_LEN;
    }
    if (type == ETH_IPV4)
        return decode_ipv4(p, n, rec);
    if (type == ETH_IPV6)
        return decode_ipv6(p, n, rec);
    return EXPOSE_SKIP_NOT_IP;              /* ARP, LLDP, 802.3 length, MPLS, ... */
}

static int decode_raw(const uint8_t *p, uint32_t n, expose_record *rec)
{
    if (n < 1)
        return EXPOSE_SKIP_MALFORMED;
    if ((p[0] >> 4) == 4)
        return decode_ipv4(p, n, rec);
    if ((p[0] >> 4) == 6)
        return decode_ipv6(p, n, rec);
    return EXPOSE_SKIP_MALFORMED;
}

/* BSD loopback: a 4-byte address family, then the IP packet. */
static int decode_loopback(uint32_t af, const uint8_t *p, uint32_t n,
                           expose_record *rec)
{
    if (af == BSD_AF_INET)
        return decode_ipv4(p, n, rec);
    if (af == BSD_AF_INET6_NETBSD || af == BSD_AF_INET6_FREEBSD ||
        af == BSD_AF_INET6_DARWIN)
        return decode_ipv6(p, n, rec);
    return EXPOSE_SKIP_NOT_IP;
}

/* DLT_NULL stores the family in the byte order of the machine that wrote
 * the capture; every family fits in 16 bits, so a value with its low half
 * empty was written in the other byte order. */
static uint32_t null_family(const uint8_t *p)
{
    uint32_t af = get32(p);
    if ((af & 0xffff) == 0)
        af = __builtin_bswap32(af);
    return af;
}

int decode_packet(decode_link link, const uint8_t *pkt, uint32_t caplen,
                  expose_record *rec)
{
    switch (link) {
    case DECODE_LINK_ETHERNET:
        if (caplen < ETH_HLEN)
            return EXPOSE_SKIP_MALFORMED;
        return decode_ethertype(get16(pkt + 12), pkt + ETH_HLEN, caplen - ETH_HLEN, rec);
    case DECODE_LINK_SLL:                   /* protocol is the last field */
        if (caplen < SLL_HLEN)
            return EXPOSE_SKIP_MALFORMED;
        return decode_ethertype(get16(pkt + 14), pkt + SLL_HLEN, caplen - SLL_HLEN, rec);
    case DECODE_LINK_SLL2:                  /* protocol is the first field */
        if (caplen < SLL2_HLEN)
            return EXPOSE_SKIP_MALFORMED;
        return decode_ethertype(get16(pkt), pkt + SLL2_HLEN, caplen - SLL2_HLEN, rec);
    case DECODE_LINK_RAW:
        return decode_raw(pkt, caplen, rec);
    case DECODE_LINK_IPV4:
        return decode_ipv4(pkt, caplen, rec);
    case DECODE_LINK_IPV6:
        return decode_ipv6(pkt, caplen, rec);
    case DECODE_LINK_NULL:
        if (caplen < LOOP_HLEN)
            return EXPOSE_SKIP_MALFORMED;
        return decode_loopback(null_family(pkt), pkt + LOOP_HLEN, caplen - LOOP_HLEN, rec);
    case DECODE_LINK_LOOP:
        if (caplen < LOOP_HLEN)
            return EXPOSE_SKIP_MALFORMED;
        return decode_loopback(get32(pkt), pkt + LOOP_HLEN, caplen - LOOP_HLEN, rec);
    case DECODE_LINK_UNSUPPORTED:
        break;
    }
    return EXPOSE_SKIP_LINKTYPE;
}
