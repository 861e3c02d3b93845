/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pcap_reader.c -- the libpcap side of the CLI: open a capture, refuse what
 * cannot be read, hand each packet to the decoder.
 *
 * libpcap reads pcap (either byte order, micro- or nanosecond magic) and
 * pcapng; asking for nanosecond precision makes it scale microsecond files
 * for us, so every timestamp arrives in ns.
 */
#define _GNU_SOURCE /* fileno, and u_int for libpcap's headers, even under a strict -std= */
#include "pcap_reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "decode.h"

struct reader {
    pcap_t     *pcap;
    decode_link link;
    int         dlt;
    uint64_t    packets;
    char        error[PCAP_ERRBUF_SIZE];
};

/* Open the file ourselves so that "missing", "a directory" and "empty"
 * get plain messages instead of libpcap's header-read errors. */
static FILE *open_capture_file(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(fileno(f), &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "is a directory, not a capture file";
    else if (S_ISREG(st.st_mode) && st.st_size == 0)
        why = "empty file (0 bytes), not a capture";
    if (why) {
        snprintf(err, errlen, "%s", why);
        fclose(f);
        return NULL;
    }
    return f;
}

static pcap_t *open_pcap(FILE *f, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (p)
        return p;
    if (f != stdin)
        fclose(f);                          /* libpcap keeps it only on success */
    if (strcmp(perr, "unknown file format") == 0)
        snprintf(err, errlen, "not a pcap or pcapng capture (unknown file format)");
    else if (strncmp(perr, "truncated dump file", 19) == 0)
        snprintf(err, errlen, "not a capture, or its file header is cut short (%s)", perr);
    else
        snprintf(err, errlen, "%s", perr[0] ? perr : "cannot read capture");
    return NULL;
}

/* libpcap's name for a link type; it has none for the private-use range
 * 147..162, which users know as USER0..USER15. */
static const char *link_type_name(int dlt, char *buf, size_t len)
{
    const char *name = pcap_datalink_val_to_name(dlt);
    if (name)
        return name;
    if (dlt >= 147 && dlt <= 162)
        snprintf(buf, len, "USER%d", dlt - 147);
    else
        snprintf(buf, len, "unknown to libpcap");
    return buf;
}

reader *reader_open(const char *path, char *err, size_t errlen)
{
    FILE *f = open_capture_file(path, err, errlen);
    if (!f)
        return NULL;
    pcap_t *p = open_pcap(f, err, errlen);
    if (!p)
        return NULL;

    int dlt = pcap_datalink(p);
    decode_link link = decode_link_from_dlt(dlt);
    if (link == DECODE_LINK_UNSUPPORTED) {
        char name[32];
        snprintf(err, errlen,
                 "unsupported link type %d (%s); expose reads Ethernet, Linux cooked "
                 "(SLL, SLL2), raw IP and BSD loopback captures",
                 dlt, link_type_name(dlt, name, sizeof name));
        pcap_close(p);
        return NULL;
    }

    reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        snprintf(err, errlen, "out of memory");
        pcap_close(p);
        return NULL;
    }
    rd->pcap = p;
    rd->link = link;
    rd->dlt = dlt;
    return rd;
}

reader_status reader_next(reader *rd, expose_record *rec, expose_skip_reason *why)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;

    /* 0 ("timeout") only happens on live captures; loop for safety. */
    while ((rc = pcap_next_ex(rd->pcap, &h, &data)) == 0)
        ;
    if (rc == PCAP_ERROR_BREAK)
        return READER_END;
    if (rc != 1) {
        snprintf(rd->error, sizeof rd->error, "%s", pcap_geterr(rd->pcap));
        return READER_STOPPED;
    }
    rd->packets++;

    int d = decode_packet(rd->link, data, h->caplen, rec);
    if (d != DECODE_OK) {
        *why = (expose_skip_reason)d;
        return READER_SKIP;
    }
    /* With nanosecond precision tv_usec holds nanoseconds.  A corrupt
     * record can still carry a sub-second field >= 1 s: carry it over. */
    uint64_t ns = (uint64_t)(uint32_t)h->ts.tv_usec;
    rec->ts_sec = (int64_t)h->ts.tv_sec;
    if (ns >= 1000000000u) {
        rec->ts_sec += (int64_t)(ns / 1000000000u);
        ns %= 1000000000u;
    }
    rec->ts_nsec = (uint32_t)ns;
    rec->length = h->len;
    rec->reserved = 0;
    return READER_RECORD;
}

uint64_t reader_packets(const reader *rd)
{
    return rd->packets;
}

const char *reader_error(const reader *rd)
{
    return rd->error;
}

int reader_datalink(const reader *rd)
{
    return rd->dlt;
}

void reader_close(reader *rd)
{
    if (!rd)
        return;
    pcap_close(rd->pcap);
    free(rd);
}

const char *reader_library_version(void)
{
    return pcap_lib_version();
}
