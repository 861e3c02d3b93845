/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * decode.h -- turn the bytes of one captured packet into an expose_record.
 *
 * The decoder knows link layers and IP, nothing about files: the pcap
 * reader resolves the capture's link type once (decode_link_from_dlt) and
 * then calls decode_packet for every packet.  It never allocates and never
 * copies the packet.
 */
#ifndef EXPOSE_CLI_DECODE_H
#define EXPOSE_CLI_DECODE_H

#include <stdint.h>

#include "expose.h"

/* The link layers the decoder understands, resolved once per file so the
 * per-packet path is a single switch. */
typedef enum decode_link {
    DECODE_LINK_UNSUPPORTED = 0,
    DECODE_LINK_ETHERNET,    /* DLT_EN10MB, with any stack of 802.1Q/802.1ad tags */
    DECODE_LINK_SLL,         /* Linux cooked capture v1 */
    DECODE_LINK_SLL2,        /* Linux cooked capture v2 */
    DECODE_LINK_RAW,         /* raw IP, version from the first nibble */
    DECODE_LINK_IPV4,        /* raw IPv4 only */
    DECODE_LINK_IPV6,        /* raw IPv6 only */
    DECODE_LINK_NULL,        /* BSD loopback: address family in the writer's byte order */
    DECODE_LINK_LOOP,        /* OpenBSD loopback: address family in network order */
} decode_link;

/* decode_packet's return value when rec was filled; any other value is an
 * expose_skip_reason. */
#define DECODE_OK (-1)

/* Map a libpcap data link type (pcap_datalink()) to a decoder. */
decode_link decode_link_from_dlt(int dlt);

/* Decode caplen captured bytes.  Fills every field of rec except the
 * timestamp and length, which belong to the capture record, and returns
 * DECODE_OK; otherwise returns why the packet cannot be mined. */
int decode_packet(decode_link link, const uint8_t *pkt, uint32_t caplen,
                  expose_record *rec);

#endif /* EXPOSE_CLI_DECODE_H */
