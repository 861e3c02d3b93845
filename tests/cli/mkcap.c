/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * mkcap.c -- write the small captures the CLI shell tests feed to expose.
 *
 *     mkcap KIND OUT [ARG]
 *
 * KIND:
 *   header-only      a pcap global header, no packets
 *   arp              10 ARP packets (nothing to mine)
 *   linktype N       one packet under link type N
 *   trace            60 s of DNS-then-HTTP from three clients (minable)
 *   short            the same, 3 s long (too few windows)
 *   mixed            trace plus 5 ARP, 3 GRE/ESP, 2 fragments, 1 malformed
 *   truncated        trace whose last record is cut short
 *   corrupt          trace followed by a record header with an absurd caplen
 *   reorder          trace with 4 packets 0.25 s out of time order
 *   backwards        trace where packet ARG (1-based) jumps back 30 s
 *
 * Every capture is deterministic, so the tests can assert exact counts.
 */
#define _GNU_SOURCE /* truncate */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capwrite.h"

enum { ETH_IP = 0x0800, ETH_ARP = 0x0806 };

typedef struct writer {
    FILE    *f;
    uint64_t ns;            /* time of the next packet, ns since the epoch */
    uint64_t count;         /* packets written */
    uint64_t backwards_at;  /* 1-based index of a packet sent 30 s back, or 0 */
    int      reorder;       /* send every 200th packet 0.25 s early */
} writer;

static const uint64_t T0 = 1700000000ull * 1000000000ull;

static void emit(writer *w, const pkt *p)
{
    uint64_t ns = w->ns;
    w->count++;
    if (w->count == w->backwards_at)
        ns -= 30000000000ull;
    if (w->reorder && w->count % 200 == 0)
        ns -= 250000000ull;
    cap_pcap_record(w->f, 0, (uint32_t)(ns / 1000000000u), (uint32_t)(ns % 1000000000u / 1000u),
                    p->b, (uint32_t)p->n, (uint32_t)p->n);
    w->ns += 1000000;                       /* 1 ms between packets of an exchange */
}

static void udp(writer *w, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
    pkt p;
    pkt_reset(&p);
    pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 17, src, dst, 0);
    pkt_udp(&p, sport, dport);
    pkt_zero(&p, 32);
    pkt_finish(&p);
    emit(w, &p);
}

static void tcp(writer *w, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                uint8_t flags)
{
    pkt p;
    pkt_reset(&p);
    pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 6, src, dst, 0);
    pkt_tcp(&p, sport, dport, flags);
    pkt_finish(&p);
    emit(w, &p);
}

/* One client resolves a name, then fetches a page: 2 + 7 packets. */
static void dns_then_http(writer *w, uint32_t client, uint16_t port)
{
    const uint32_t dns = 0x0a000035, web = 0x0a000150;
    udp(w, client, dns, port, 53);
    udp(w, dns, client, 53, port);
    tcp(w, client, web, (uint16_t)(port + 1), 80, 0x02);
    tcp(w, web, client, 80, (uint16_t)(port + 1), 0x12);
    tcp(w, client, web, (uint16_t)(port + 1), 80, 0x10);
    tcp(w, client, web, (uint16_t)(port + 1), 80, 0x18);
    tcp(w, web, client, 80, (uint16_t)(port + 1), 0x18);
    tcp(w, client, web, (uint16_t)(port + 1), 80, 0x11);
    tcp(w, web, client, 80, (uint16_t)(port + 1), 0x11);
}

/* Every 2 s each of three clients does DNS then HTTP; an NTP poll every
 * 5 s from a fourth host, unrelated to the rest. */
static void trace(writer *w, unsigned seconds)
{
    for (unsigned s = 0; s < seconds; s += 2) {
        for (uint32_t c = 1; c <= 3; c++) {
            w->ns = T0 + (uint64_t)s * 1000000000u + c * 150000000u;
            dns_then_http(w, 0x0a000000 + c, (uint16_t)(30000 + s * 4 + c * 2));
        }
        if (s % 5 == 0 || s % 5 == 1) {
            w->ns = T0 + (uint64_t)s * 1000000000u + 700000000u;
            udp(w, 0x0a000009, 0x0a00007b, 123, 123);
        }
    }
}

static void arp(writer *w)
{
    pkt p;
    pkt_reset(&p);
    pkt_eth(&p, ETH_ARP);
    pkt_arp(&p);
    emit(w, &p);
}

/* Packets the reader must skip, with known reasons. */
static void oddities(writer *w)
{
    pkt p;
    for (int i = 0; i < 5; i++)
        arp(w);
    static const uint8_t others[] = { 47, 50, 4 };   /* GRE, ESP, IP-in-IP */
    for (int i = 0; i < 3; i++) {
        pkt_reset(&p); pkt_eth(&p, ETH_IP);
        pkt_ipv4(&p, others[i], 0x0a000001, 0x0a000002, 0); pkt_zero(&p, 40); pkt_finish(&p);
        emit(w, &p);
    }
    for (int i = 0; i < 2; i++) {
        pkt_reset(&p); pkt_eth(&p, ETH_IP);
        pkt_ipv4(&p, 17, 0x0a000001, 0x0a000002, (uint16_t)(100 + i)); pkt_zero(&p, 40);
        pkt_finish(&p);
        emit(w, &p);
    }
    pkt_reset(&p); pkt_eth(&p, ETH_IP);
    pkt_ipv4(&p, 6, 0x0a000001, 0x0a000002, 0); pkt_zero(&p, 6); pkt_finish(&p);
    emit(w, &p);                            /* a TCP header cut to 6 bytes */
}

static int usage(void)
{
    fprintf(stderr, "usage: mkcap KIND OUT [ARG]   (see mkcap.c for the kinds)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *kind = argv[1];
    uint32_t linktype = 1;
    if (strcmp(kind, "linktype") == 0) {
        if (argc < 4)
            return usage();
        linktype = (uint32_t)strtoul(argv[3], NULL, 10);
    }
    writer w = { .f = cap_pcap_open(argv[2], linktype, 0, 0), .ns = T0 };
    if (strcmp(kind, "backwards") == 0)
        w.backwards_at = argc > 3 ? strtoull(argv[3], NULL, 10) : 100;
    w.reorder = strcmp(kind, "reorder") == 0;

    if (strcmp(kind, "header-only") == 0) {
        /* nothing after the header */
    } else if (strcmp(kind, "arp") == 0) {
        for (int i = 0; i < 10; i++)
            arp(&w);
    } else if (strcmp(kind, "linktype") == 0) {
        arp(&w);
    } else if (strcmp(kind, "short") == 0) {
        trace(&w, 3);
    } else if (strcmp(kind, "mixed") == 0) {
        trace(&w, 60);
        oddities(&w);
    } else if (!strcmp(kind, "trace") || !strcmp(kind, "truncated") ||
               !strcmp(kind, "corrupt") || !strcmp(kind, "reorder") ||
               !strcmp(kind, "backwards")) {
        trace(&w, 60);
    } else {
        fclose(w.f);
        return usage();
    }

    printf("%llu\n", (unsigned long long)w.count);  /* good packets written */
    if (strcmp(kind, "truncated") == 0) {
        static const uint8_t part[20];
        cap_pcap_record(w.f, 0, 1700000100, 0, part, 20, 60);
        fflush(w.f);
        /* cut the last record's data short: 16-byte header + 20 -> 10 */
        long end = ftell(w.f);
        fclose(w.f);
        return truncate(argv[2], end - 10) == 0 ? 0 : 1;
    }
    if (strcmp(kind, "corrupt") == 0) {
        static const uint8_t junk[64];
        cap_pcap_record(w.f, 0, 1700000100, 0, junk, 0, 0x7ffffff0u);
        /* rewrite caplen as absurd by hand: a record header claiming 2 GB */
        fseek(w.f, -8, SEEK_CUR);
        fwrite("\xf0\xff\xff\x7f\xf0\xff\xff\x7f", 1, 8, w.f);
        fwrite(junk, 1, sizeof junk, w.f);
    }
    return fclose(w.f) == 0 ? 0 : 1;
}
