/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * capwrite.h -- build packets and write pcap / pcapng files by hand, for
 * the reader's unit test and the CLI tests' capture maker.  Deliberately
 * independent of libpcap's writer, so the tests check the reader against
 * the file formats, not against libpcap's own idea of them.
 */
#ifndef EXPOSE_TEST_CAPWRITE_H
#define EXPOSE_TEST_CAPWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------- packets */

typedef struct pkt {
    uint8_t b[4096];
    size_t  n;
    size_t  l3;                 /* offset of the IP header, for pkt_finish */
    int     ipv;                /* 4 or 6: which length field pkt_finish sets */
} pkt;

void pkt_reset(pkt *p);
void pkt_bytes(pkt *p, const void *data, size_t n);
void pkt_u8(pkt *p, uint8_t v);
void pkt_u16(pkt *p, uint16_t v);          /* network order */
void pkt_u32(pkt *p, uint32_t v);          /* network order */
void pkt_zero(pkt *p, size_t n);

void pkt_eth(pkt *p, uint16_t type);
void pkt_vlan(pkt *p, uint16_t tci, uint16_t next_type);   /* after a tag TPID */
void pkt_sll(pkt *p, uint16_t proto);
void pkt_sll2(pkt *p, uint16_t proto);
void pkt_af(pkt *p, uint32_t af, int big_endian);          /* BSD loopback header */

/* frag: the IPv4 flags + fragment offset field (0x2000 = more fragments). */
void pkt_ipv4(pkt *p, uint8_t proto, uint32_t src, uint32_t dst, uint16_t frag);
void pkt_ipv6(pkt *p, uint8_t next, const uint8_t src[16], const uint8_t dst[16]);
void pkt_ip6_ext(pkt *p, uint8_t next, size_t len);        /* hop-by-hop, routing, dstopts */
void pkt_ip6_frag(pkt *p, uint8_t next, uint16_t offset_units, int more);
void pkt_tcp(pkt *p, uint16_t sport, uint16_t dport, uint8_t flags);
void pkt_udp(pkt *p, uint16_t sport, uint16_t dport);
void pkt_icmp(pkt *p, uint8_t type, uint8_t code);
void pkt_arp(pkt *p);                      /* an ARP request body */

/* Set the IP length field from the bytes added since pkt_ipv4/pkt_ipv6. */
void pkt_finish(pkt *p);

/* ----------------------------------------------------------------- pcap */

/* Open a classic pcap file.  nano: nanosecond magic; big_endian: write
 * every header field big-endian (a "swapped" file on little-endian hosts). */
FILE *cap_pcap_open(const char *path, uint32_t linktype, int nano, int big_endian);
void  cap_pcap_record(FILE *f, int big_endian, uint32_t sec, uint32_t frac,
                      const void *data, uint32_t caplen, uint32_t len);

/* ---------------------------------------------------------------- pcapng */

/* Section header plus one interface; tsresol_exp 6 (the default, written
 * without an option) or any other power of ten exponent.  big_endian: the
 * section's byte order (pass the same to cap_pcapng_epb). */
FILE *cap_pcapng_open(const char *path, uint16_t linktype, int tsresol_exp,
                      int big_endian);
void  cap_pcapng_epb(FILE *f, int big_endian, uint64_t ts_units, const void *data,
                     uint32_t caplen, uint32_t len);

#endif /* EXPOSE_TEST_CAPWRITE_H */
