/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * conntab.h -- the per-packet stage: connections (exact five-tuples) and the
 * activity log.
 *
 * Port folding and orientation depend on which ports the whole trace shows
 * to be well-known, which is only known at the end.  So ingest keeps exact
 * five-tuples ("connections", both directions in one entry) and an
 * append-only log with one event per (connection, window) in which the
 * connection sent anything.  Mining later maps connections to flows and
 * replays the log window by window.  Nothing here allocates per packet:
 * the table and the log grow geometrically / in large chunks.
 */
#ifndef EXPOSE_CONNTAB_H
#define EXPOSE_CONNTAB_H

#include <stdint.h>
#include <stddef.h>

/* One connection: endpoints in canonical order (a < b by address, then port). */
typedef struct xp_conn {
    uint8_t  a[16], b[16];
    uint16_t pa, pb;
    uint8_t  ipver, proto;
    uint8_t  first_from_a;    /* who sent the first packet */
    uint8_t  syn_mask;        /* 1: a sent a SYN without ACK; 2: b did */
    uint32_t last_w;          /* window of the newest event, UINT32_MAX: none */
    uint32_t flow;            /* set by mining: index of the folded flow */
    uint64_t last_event;      /* index of the newest event in the log */
    int64_t  first_ns, last_ns;
    uint64_t packets_a, packets_b;  /* sent by a, by b */
    uint64_t bytes;
} xp_conn;

/* An event packs window (32 bits), connection (30 bits) and two flags. */
#define XP_EV_SYN      1u   /* a connection opened (SYN without ACK) */
#define XP_EV_FLOWNEW  2u   /* set by mining: the flow became new here */
#define XP_EV_W(e)     ((uint32_t)((e) >> 32))
#define XP_EV_CONN(e)  ((uint32_t)(((e) >> 2) & 0x3fffffffu))
#define XP_EV_FLAGS(e) ((uint32_t)((e) & 3u))
#define XP_EV_MAKE(w, c, f) (((uint64_t)(w) << 32) | ((uint64_t)(c) << 2) | (f))
#define XP_MAX_CONNS   0x3fffffffu

#define XP_LOG_CHUNK_BITS 20
#define XP_LOG_CHUNK (1u << XP_LOG_CHUNK_BITS)

typedef struct xp_log {
    uint64_t **chunks;
    size_t nchunks, chunks_cap;
    uint64_t count;
} xp_log;

typedef struct xp_conntab {
    xp_conn  *conns;
    uint32_t  count, cap;
    uint64_t *slots;         /* 0: empty, else hash tag << 32 | (index + 1):
                              * the tag rejects most mismatches without
                              * touching the connection (one cache miss less) */
    size_t    nslots;        /* power of two */
    xp_log    log;
} xp_conntab;

int  xp_conntab_init(xp_conntab *t);
void xp_conntab_free(xp_conntab *t);

/* Find or create the connection of a packet; *from_a tells the direction.
 * Returns the connection index, or UINT32_MAX when memory runs out. */
uint32_t xp_conntab_lookup(xp_conntab *t, uint8_t ipver, uint8_t proto,
                           const uint8_t *src, uint16_t sport,
                           const uint8_t *dst, uint16_t dport,
                           int64_t ts_ns, int *from_a);

/* Note activity of connection c in window w (non-decreasing).  Returns -1
 * when memory runs out. */
int xp_conntab_touch(xp_conntab *t, uint32_t c, uint32_t w, uint32_t flags);

static inline uint64_t *xp_log_at(const xp_log *l, uint64_t i)
{
    return &l->chunks[i >> XP_LOG_CHUNK_BITS][i & (XP_LOG_CHUNK - 1)];
}

#endif
