/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * reader_dump.c -- print what the CLI's reader makes of every packet, one
 * line each, so it can be compared with another dissector (tshark):
 *
 *     N SEC.NSEC LEN ipV PROTO SRC SPORT DST DPORT FLAGS
 *     N skip REASON
 *
 * N is the 1-based packet number; addresses are printed with inet_ntop.
 */
#define _GNU_SOURCE /* u_int for libpcap's headers, even under a strict -std= */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "pcap_reader.h"

static const char *const reasons[EXPOSE_SKIP__COUNT] = {
    "not-ip", "other-proto", "fragment", "malformed", "linktype",
};

static void print_record(uint64_t n, const expose_record *r)
{
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    int af = r->ip_version == 4 ? AF_INET : AF_INET6;
    inet_ntop(af, r->src, src, sizeof src);
    inet_ntop(af, r->dst, dst, sizeof dst);
    printf("%" PRIu64 " %" PRId64 ".%09" PRIu32 " %" PRIu32 " ip%u %u %s %u %s %u 0x%02x\n",
           n, r->ts_sec, r->ts_nsec, r->length, r->ip_version, r->proto, src,
           r->src_port, dst, r->dst_port, r->tcp_flags);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: reader_dump FILE\n");
        return 2;
    }
    char err[READER_ERRBUF_SIZE];
    reader *rd = reader_open(argv[1], err, sizeof err);
    if (!rd) {
        fprintf(stderr, "reader_dump: %s: %s\n", argv[1], err);
        return 1;
    }
    expose_record rec;
    expose_skip_reason why;
    reader_status st;
    while ((st = reader_next(rd, &rec, &why)) <= READER_SKIP) {
        if (st == READER_RECORD)
            print_record(reader_packets(rd), &rec);
        else
            printf("%" PRIu64 " skip %s\n", reader_packets(rd), reasons[why]);
    }
    if (st == READER_STOPPED)
        fprintf(stderr, "reader_dump: %s: stopped after %" PRIu64 " packets: %s\n", argv[1],
                reader_packets(rd), reader_error(rd));
    reader_close(rd);
    return st == READER_END ? 0 : 1;
}
