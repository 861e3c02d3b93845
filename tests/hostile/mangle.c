/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * mangle.c -- damaged versions of a capture, deterministically.
 *
 *     mangle SEED INPUT OUTDIR
 *
 * INPUT is a pcap (either byte order, micro- or nanoseconds) or pcapng
 * file.  Every variant is written to OUTDIR/<name of INPUT>.<variant> and
 * described by one line on stdout:
 *
 *     PATH VARIANT PACKETS CLEAN
 *
 * PACKETS is how many whole packet records a reader can get from the file
 * before it stops (-1: unknown, for flipped bytes), CLEAN is 1 when the
 * reader stops at a record boundary (end of file) and 0 when it must
 * report damage.  The variants:
 *
 *   cut-N         cut at a seeded random offset (N = 1..4; cut-0 is inside
 *                 the first packet record)
 *   flip-N        N seeded random bytes changed (1, 4, 32)
 *   empty         zero bytes
 *   header        the file header only (pcap: 24 bytes; pcapng: every
 *                 block before the first packet)
 *   snaplen       the snapshot length set to 0xFFFFFFFF (pcap header,
 *                 pcapng: first interface)
 *   snaplen-64    the snapshot length set to 64: records longer than it
 *                 (pcap: libpcap cuts them; pcapng: readers differ, -1)
 *   caplen        the middle record's captured length set to 0x7FFFFFFF
 *   caplen-first  the first record's captured length set to 0xFFFFFFF0
 *   unknown-block (pcapng) a block of an unknown type after the first
 *                 interface and another one in the middle: readers skip it
 *   oversized     (pcapng) the middle packet block claims 0x7FFFFFF0 bytes
 *   midblock      (pcapng) cut in the middle of the middle packet block
 *
 * Exit status 0, 1 when INPUT cannot be read or parsed, 2 on bad usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct capture {
    uint8_t *b;
    size_t   n;
    int      pcapng;
    int      swapped;            /* not the byte order of this machine */
    size_t  *rec;                /* offset of each packet record/block */
    size_t  *rec_end;            /* and of the byte after it */
    size_t   nrec;
    size_t  *bound;              /* every record or block boundary */
    size_t   nbound;
    size_t   first_idb;          /* pcapng: offset of the first IDB, or 0 */
    size_t   first_packet;       /* offset of the first packet record */
} capture;

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

static uint32_t get32(const capture *c, size_t off)
{
    uint32_t v;
    memcpy(&v, c->b + off, 4);
    return c->swapped ? __builtin_bswap32(v) : v;
}

static void put32(const capture *c, uint8_t *b, size_t off, uint32_t v)
{
    if (c->swapped)
        v = __builtin_bswap32(v);
    memcpy(b + off, &v, 4);
}

static int add_record(capture *c, size_t off, size_t end)
{
    size_t *r = realloc(c->rec, (c->nrec + 1) * sizeof *r);
    size_t *e = realloc(c->rec_end, (c->nrec + 1) * sizeof *e);
    if (r)
        c->rec = r;
    if (e)
        c->rec_end = e;
    if (!r || !e)
        return -1;
    c->rec[c->nrec] = off;
    c->rec_end[c->nrec++] = end;
    return 0;
}

static int add_bound(capture *c, size_t off)
{
    size_t *b = realloc(c->bound, (c->nbound + 1) * sizeof *b);
    if (!b)
        return -1;
    c->bound = b;
    c->bound[c->nbound++] = off;
    return 0;
}

static int parse_pcap(capture *c)
{
    uint32_t magic;
    memcpy(&magic, c->b, 4);
    c->swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    size_t off = 24;
    c->first_packet = 24;
    if (add_bound(c, off) < 0)
        return -1;
    while (off + 16 <= c->n) {
        uint32_t caplen = get32(c, off + 8);
        if (caplen > c->n - off - 16)
            break;                              /* already damaged: stop here */
        if (add_record(c, off, off + 16 + caplen) < 0)
            return -1;
        off += 16 + (size_t)caplen;
        if (add_bound(c, off) < 0)
            return -1;
    }
    return 0;
}

static int parse_pcapng(capture *c)
{
    c->pcapng = 1;
    if (c->n < 12)
        return -1;
    uint32_t bom;
    memcpy(&bom, c->b + 8, 4);
    c->swapped = bom == 0x4d3c2b1au;
    size_t off = 0;
    c->first_packet = 0;
    while (off + 12 <= c->n) {
        uint32_t type = get32(c, off), len = get32(c, off + 4);
        if (len < 12 || len % 4 || len > c->n - off)
            break;
        if (type == 1 && c->first_idb == 0)
            c->first_idb = off;
        if (type == 6 || type == 3 || type == 2) {      /* EPB, SPB, obsolete PB */
            if (c->nrec == 0)
                c->first_packet = off;
            if (add_record(c, off, off + len) < 0)
                return -1;
        }
        off += len;
        if (add_bound(c, off) < 0)
            return -1;
    }
    if (c->nrec == 0)
        c->first_packet = off;
    return 0;
}

static int load(const char *path, capture *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mangle: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16;
    c->b = malloc(cap);
    for (;;) {
        if (!c->b)
            break;
        c->n += fread(c->b + c->n, 1, cap - c->n, f);
        if (c->n < cap)
            break;
        cap *= 2;
        uint8_t *grown = realloc(c->b, cap);
        if (!grown)
            free(c->b);
        c->b = grown;
    }
    fclose(f);
    if (!c->b || c->n < 24) {
        fprintf(stderr, "mangle: %s: too short or out of memory\n", path);
        return -1;
    }
    uint32_t magic;
    memcpy(&magic, c->b, 4);
    int rc;
    if (magic == 0x0a0d0d0a)
        rc = parse_pcapng(c);
    else if (magic == 0xa1b2c3d4u || magic == 0xd4c3b2a1u || magic == 0xa1b23c4du ||
             magic == 0x4d3cb2a1u)
        rc = parse_pcap(c);
    else {
        fprintf(stderr, "mangle: %s: not a pcap or pcapng file\n", path);
        return -1;
    }
    if (rc < 0 || c->nrec < 2) {
        fprintf(stderr, "mangle: %s: fewer than 2 packets\n", path);
        return -1;
    }
    return 0;
}

static const char *outdir, *base;

/* Write bytes as OUTDIR/BASE.VARIANT and describe it. */
static int emit(const char *variant, const uint8_t *b, size_t n, long packets, int clean)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", outdir, base, variant);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "mangle: %s: %s\n", path, strerror(errno));
        return -1;
    }
    printf("%s %s %ld %d\n", path, variant, packets, clean);
    return 0;
}

/* Packets complete before offset `cut`, and whether the cut falls on a
 * record or block boundary (a clean end of file, no damage to report). */
static long packets_before(const capture *c, size_t cut, int *clean)
{
    long k = 0;
    while ((size_t)k < c->nrec && c->rec_end[k] <= cut)
        k++;
    *clean = 0;
    for (size_t i = 0; i < c->nbound; i++)
        if (c->bound[i] == cut)
            *clean = 1;
    return k;
}

static int cuts(const capture *c)
{
    char name[32];
    int rc = 0, clean;
    /* inside the first packet record */
    size_t first = c->rec[0], first_end = c->rec_end[0];
    size_t at = first + 1 + rnd() % (first_end - first - 1);
    long k = packets_before(c, at, &clean);
    rc |= emit("cut-0", c->b, at, k, clean);
    for (int i = 1; i <= 4; i++) {
        at = first_end + rnd() % (c->n - first_end);
        k = packets_before(c, at, &clean);
        snprintf(name, sizeof name, "cut-%d", i);
        rc |= emit(name, c->b, at, k, clean);
    }
    return rc;
}

static int flips(const capture *c, uint8_t *copy)
{
    static const int counts[] = { 1, 4, 32 };
    char name[32];
    int rc = 0;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        memcpy(copy, c->b, c->n);
        for (int j = 0; j < counts[i]; j++)
            copy[rnd() % c->n] ^= (uint8_t)(1 + rnd() % 255);
        snprintf(name, sizeof name, "flip-%d", counts[i]);
        rc |= emit(name, copy, c->n, -1, 1);
    }
    return rc;
}

static int structural(const capture *c, uint8_t *copy)
{
    int rc = 0;
    long all = (long)c->nrec, mid = all / 2;
    rc |= emit("empty", c->b, 0, 0, 1);
    rc |= emit("header", c->b, c->pcapng ? c->first_packet : 24, 0, 1);

    memcpy(copy, c->b, c->n);
    if (c->pcapng) {
        if (c->first_idb)
            put32(c, copy, c->first_idb + 12, 0xFFFFFFFFu);
    } else {
        put32(c, copy, 16, 0xFFFFFFFFu);
    }
    rc |= emit("snaplen", copy, c->n, all, 1);

    /* every record longer than the snapshot length */
    memcpy(copy, c->b, c->n);
    if (c->pcapng) {
        if (c->first_idb)
            put32(c, copy, c->first_idb + 12, 64);
    } else {
        put32(c, copy, 16, 64);
    }
    /* libpcap refuses pcapng packets longer than their interface's
     * snapshot length, Wireshark reads them: either is fine (-1). */
    rc |= emit("snaplen-64", copy, c->n, c->pcapng ? -1 : all, 1);

    if (!c->pcapng) {
        memcpy(copy, c->b, c->n);
        put32(c, copy, c->rec[mid] + 8, 0x7FFFFFFFu);
        rc |= emit("caplen", copy, c->n, mid, 0);
        memcpy(copy, c->b, c->n);
        put32(c, copy, c->rec[0] + 8, 0xFFFFFFF0u);
        rc |= emit("caplen-first", copy, c->n, 0, 0);
        return rc;
    }

    /* pcapng: caplen of the middle EPB (offset 20 in the block) */
    memcpy(copy, c->b, c->n);
    if (get32(c, c->rec[mid]) == 6) {
        put32(c, copy, c->rec[mid] + 20, 0x7FFFFFFFu);
        rc |= emit("caplen", copy, c->n, mid, 0);
    }

    /* unknown block type: after the first IDB and before the middle packet */
    uint8_t *grown = malloc(c->n + 64);
    if (!grown)
        return -1;
    size_t after_idb = c->first_idb ? c->first_idb + get32(c, c->first_idb + 4) : c->first_packet;
    uint8_t unknown[32];
    memset(unknown, 0xA5, sizeof unknown);
    put32(c, unknown, 0, 0x0BADB10Cu);
    put32(c, unknown, 4, sizeof unknown);
    put32(c, unknown, sizeof unknown - 4, sizeof unknown);
    size_t o = 0;
    memcpy(grown, c->b, after_idb);
    o = after_idb;
    memcpy(grown + o, unknown, sizeof unknown);
    o += sizeof unknown;
    memcpy(grown + o, c->b + after_idb, c->rec[mid] - after_idb);
    o += c->rec[mid] - after_idb;
    memcpy(grown + o, unknown, sizeof unknown);
    o += sizeof unknown;
    memcpy(grown + o, c->b + c->rec[mid], c->n - c->rec[mid]);
    o += c->n - c->rec[mid];
    rc |= emit("unknown-block", grown, o, all, 1);
    free(grown);

    memcpy(copy, c->b, c->n);
    put32(c, copy, c->rec[mid] + 4, 0x7FFFFFF0u);
    rc |= emit("oversized", copy, c->n, mid, 0);

    size_t half = c->rec[mid] + (c->rec_end[mid] - c->rec[mid]) / 2;
    rc |= emit("midblock", c->b, half, mid, 0);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mangle SEED INPUT OUTDIR\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10) * 2654435761u + 1;
    outdir = argv[3];
    base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
    capture c;
    if (load(argv[2], &c) < 0)
        return 1;
    uint8_t *copy = malloc(c.n);
    if (!copy)
        return 1;
    int rc = cuts(&c) | flips(&c, copy) | structural(&c, copy);
    free(copy);
    free(c.b);
    free(c.rec);
    free(c.rec_end);
    free(c.bound);
    return rc ? 1 : 0;
}
