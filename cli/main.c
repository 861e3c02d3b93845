/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * main.c -- the expose program: read a capture, mine it, write the report.
 *
 * Exit codes: 0 success, 1 input or mining error, 2 bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "expose.h"
#include "options.h"
#include "pcap_reader.h"

/* What the read loop saw, for the summary line. */
typedef struct ingest {
    uint64_t packets;
    uint64_t mined;
    uint64_t skipped[EXPOSE_SKIP__COUNT];
    int      stopped;           /* the file is damaged after `packets` packets */
    double   seconds;           /* wall time of the read loop */
} ingest;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const skip_names[EXPOSE_SKIP__COUNT] = {
    [EXPOSE_SKIP_NOT_IP]      = "not IP",
    [EXPOSE_SKIP_OTHER_PROTO] = "other protocol",
    [EXPOSE_SKIP_FRAGMENT]    = "fragment",
    [EXPOSE_SKIP_MALFORMED]   = "malformed",
    [EXPOSE_SKIP_LINKTYPE]    = "link type",
};

/* Feed every packet to the engine.  Returns 0, or -1 when the engine
 * stopped at some packet (expose_engine_error says why; *stop_at is its
 * number): reading goes on so that the summary counts the whole file. */
static int read_packets(reader *rd, expose_engine *e, ingest *in, uint64_t *stop_at)
{
    expose_record rec;
    expose_skip_reason why;
    int rc = 0;
    for (;;) {
        switch (reader_next(rd, &rec, &why)) {
        case READER_RECORD:
            if (expose_engine_add(e, &rec) != 0 && rc == 0) {
                rc = -1;
                *stop_at = reader_packets(rd);
            }
            in->mined++;
            break;
        case READER_SKIP:
            expose_engine_skip(e, why);
            in->skipped[why]++;
            break;
        case READER_STOPPED:
            in->stopped = 1;
            return rc;
        case READER_END:
            return rc;
        }
    }
}

static void warn_damaged(const char *file, const reader *rd)
{
    const char *msg = reader_error(rd);
    if (strncmp(msg, "truncated", 9) == 0)
        fprintf(stderr, "expose: %s: capture is truncated after %" PRIu64
                " packets; mining what was read\n", file, reader_packets(rd));
    else
        fprintf(stderr, "expose: %s: capture is corrupt after %" PRIu64
                " packets (%s); mining what was read\n", file, reader_packets(rd), msg);
}

/* One line on stderr: what was read, mined and skipped, and warnings. */
static void print_summary(const char *file, const ingest *in, const expose_result *r)
{
    uint64_t skipped = 0, untracked = r ? r->summary.untracked : 0;
    for (int i = 0; i < EXPOSE_SKIP__COUNT; i++)
        skipped += in->skipped[i];
    /* The engine's count: packets it took in after a stop are not mined
     * even though the reader handed them over. */
    uint64_t mined = r ? r->summary.ip_packets : in->mined;
    fprintf(stderr, "expose: %s: %" PRIu64 " packets read, %" PRIu64 " mined, %"
            PRIu64 " skipped", file, in->packets, mined, skipped);
    const char *sep = " (";
    for (int i = 0; i < EXPOSE_SKIP__COUNT; i++) {
        if (in->skipped[i] == 0)
            continue;
        fprintf(stderr, "%s%s %" PRIu64, sep, skip_names[i], in->skipped[i]);
        sep = ", ";
    }
    if (skipped)
        fputc(')', stderr);
    if (in->stopped)
        fprintf(stderr, "; capture truncated");
    if (untracked)
        fprintf(stderr, "; %" PRIu64 " more counted but not mined (%s)", untracked,
                r->summary.stop_reason);
    if (r && r->summary.reordered)
        fprintf(stderr, "; %" PRIu64 " packets out of time order (up to %g s back)",
                r->summary.reordered, r->summary.max_reorder);
    if (in->seconds > 0)
        fprintf(stderr, "; read in %.2f s (%.1f M packets/s)", in->seconds,
                in->packets / in->seconds / 1e6);
    if (r)
        fprintf(stderr, "; mined in %.2f s", r->summary.mine_seconds);
    fputc('\n', stderr);
}

static int write_to_file(const expose_result *r, const char *format, const char *path)
{
    char err[512] = "";
    if (expose_write_file(r, format, path, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "expose: %s: %s\n", path, err[0] ? err : "cannot write the report");
    return -1;
}

static int write_reports(const cli_options *o, const expose_result *r)
{
    if (o->output) {
        if (write_to_file(r, o->json ? "json" : "text", o->output) != 0)
            return -1;
    } else {
        int w = o->json ? expose_write_json(r, stdout) : expose_write_text(r, stdout);
        if (w != 0 || fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "expose: cannot write the report to standard output: %s\n",
                    strerror(errno));
            return -1;
        }
    }
    if (o->graph && write_to_file(r, o->graph_format, o->graph) != 0)
        return -1;
    return 0;
}

/* Everything after a successful read: checks, mining, reports. */
static int mine_and_report(const cli_options *o, expose_engine *e, const ingest *in)
{
    if (in->mined == 0) {
        if (!o->quiet)
            print_summary(o->file, in, NULL);
        fprintf(stderr, "expose: %s: nothing to mine: none of the %" PRIu64
                " packets is TCP, UDP or ICMP over IPv4 or IPv6\n", o->file, in->packets);
        return EXIT_INPUT;
    }
    expose_result *r = expose_engine_mine(e);
    if (!o->quiet)
        print_summary(o->file, in, r);
    if (!r) {
        const char *msg = expose_engine_error(e);
        fprintf(stderr, "expose: %s: %s\n", o->file, msg[0] ? msg : "mining failed");
        return EXIT_INPUT;
    }
    int rc = write_reports(o, r) == 0 ? EXIT_OK : EXIT_INPUT;
    expose_result_free(r);
    return rc;
}

static int run(const cli_options *o)
{
    char err[READER_ERRBUF_SIZE];
    reader *rd = reader_open(o->file, err, sizeof err);
    if (!rd) {
        fprintf(stderr, "expose: %s: %s\n", o->file, err);
        return EXIT_INPUT;
    }
    expose_engine *e = expose_engine_new(&o->params);
    if (!e) {
        fprintf(stderr, "expose: out of memory\n");
        reader_close(rd);
        return EXIT_INPUT;
    }

    ingest in = { 0 };
    int rc = EXIT_INPUT;
    double t0 = now();
    uint64_t stop_at = 0;
    int added = read_packets(rd, e, &in, &stop_at);
    in.seconds = now() - t0;
    in.packets = reader_packets(rd);
    if (added != 0) {
        /* The engine stopped (time jumped back, or out of memory): report
         * it, mine what came before when that is possible, and still exit
         * non-zero so that scripts notice. */
        fprintf(stderr, "expose: %s: packet %" PRIu64 ": %s\n", o->file, stop_at,
                expose_engine_error(e));
        if (in.mined > 0)
            mine_and_report(o, e, &in);   /* its WARNING line says where it stops */
    } else if (in.packets == 0 && in.stopped)
        fprintf(stderr, "expose: %s: capture is damaged before its first packet (%s)\n",
                o->file, reader_error(rd));
    else if (in.packets == 0)
        fprintf(stderr, "expose: %s: no packets in capture\n", o->file);
    else {
        if (in.stopped)
            warn_damaged(o->file, rd);
        rc = mine_and_report(o, e, &in);
    }
    expose_engine_free(e);
    reader_close(rd);
    return rc;
}

int main(int argc, char **argv)
{
    cli_options o;
    switch (options_parse(argc, argv, &o)) {
    case OPTIONS_DONE: return EXIT_OK;
    case OPTIONS_BAD:  return EXIT_USAGE;
    case OPTIONS_RUN:  break;
    }
    return run(&o);
}
