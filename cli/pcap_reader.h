/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pcap_reader.h -- read a pcap or pcapng capture as a stream of
 * expose_records, with libpcap.
 *
 *     char err[READER_ERRBUF_SIZE];
 *     reader *rd = reader_open(path, err, sizeof err);   (NULL: err says why)
 *     while ((st = reader_next(rd, &rec, &why)) <= READER_SKIP) ...
 *     if (st == READER_STOPPED) warn with reader_error(rd), reader_packets(rd)
 *     reader_close(rd);
 *
 * Timestamps are always nanoseconds, whatever the file's precision.
 */
#ifndef EXPOSE_CLI_PCAP_READER_H
#define EXPOSE_CLI_PCAP_READER_H

#include <stddef.h>
#include <stdint.h>

#include "expose.h"

#define READER_ERRBUF_SIZE 512

typedef struct reader reader;

typedef enum reader_status {
    READER_RECORD = 0,   /* rec holds a packet to mine */
    READER_SKIP,         /* *why says why the packet cannot be mined */
    READER_END,          /* no more packets */
    READER_STOPPED,      /* the file is damaged here (truncated, corrupt
                          * record header): reader_error() says how; the
                          * packets before it were good */
} reader_status;

/* Open path ("-" is standard input).  Refuses files that are missing,
 * unreadable, empty, not captures, or of a link type the decoder does not
 * know.  On failure returns NULL with a one-line reason in err (without
 * the path). */
reader *reader_open(const char *path, char *err, size_t errlen);

reader_status reader_next(reader *rd, expose_record *rec, expose_skip_reason *why);

/* Packets read so far (mined or skipped). */
uint64_t reader_packets(const reader *rd);

/* libpcap's message after READER_STOPPED, "" otherwise. */
const char *reader_error(const reader *rd);

/* The capture's libpcap data link type. */
int reader_datalink(const reader *rd);

void reader_close(reader *rd);

/* libpcap's version string, for --version. */
const char *reader_library_version(void);

#endif /* EXPOSE_CLI_PCAP_READER_H */
