/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * conntab.c -- connection table and activity log (the per-packet path).
 */
#include "conntab.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

int xp_conntab_init(xp_conntab *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 1024;
    t->nslots = 2048;
    t->conns = malloc(t->cap * sizeof *t->conns);
    t->slots = calloc(t->nslots, sizeof *t->slots);
    return (t->conns && t->slots) ? 0 : -1;
}

void xp_conntab_free(xp_conntab *t)
{
    for (size_t i = 0; i < t->log.nchunks; i++)
        free(t->log.chunks[i]);
    free(t->log.chunks);
    free(t->conns);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t key_hash(uint8_t ipver, uint8_t proto, const uint8_t *a, uint16_t pa,
                         const uint8_t *b, uint16_t pb)
{
    uint64_t h = ((uint64_t)pa << 32) | ((uint64_t)pb << 16) | ((uint64_t)ipver << 8) | proto;
    h = xp_hash_step(h, load64(a));
    h = xp_hash_step(h, load64(b));
    if (ipver == 6) {
        h = xp_hash_step(h, load64(a + 8));
        h = xp_hash_step(h, load64(b + 8));
    }
    return h;
}

static int same_key(const xp_conn *c, uint8_t ipver, uint8_t proto, const uint8_t *a,
                    uint16_t pa, const uint8_t *b, uint16_t pb)
{
    return c->pa == pa && c->pb == pb && c->proto == proto && c->ipver == ipver &&
           memcmp(c->a, a, 16) == 0 && memcmp(c->b, b, 16) == 0;
}

/* Rebuild the slot index at twice the size. */
static int grow_slots(xp_conntab *t)
{
    size_t n = t->nslots * 2, mask = n - 1;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t i = 0; i < t->count; i++) {
        const xp_conn *c = &t->conns[i];
        uint64_t h = key_hash(c->ipver, c->proto, c->a, c->pa, c->b, c->pb);
        size_t j = (size_t)h & mask;
        while (slots[j])
            j = (j + 1) & mask;
        slots[j] = (h >> 32) << 32 | (i + 1);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

static uint32_t add_conn(xp_conntab *t, uint8_t ipver, uint8_t proto, const uint8_t *a,
                         uint16_t pa, const uint8_t *b, uint16_t pb, int64_t ts_ns,
                         int first_from_a)
{
    if (t->count >= XP_MAX_CONNS)
        return UINT32_MAX;
    if (t->count == t->cap) {
        uint32_t cap = t->cap * 2;
        xp_conn *grown = realloc(t->conns, (size_t)cap * sizeof *grown);
        if (!grown)
            return UINT32_MAX;
        t->conns = grown;
        t->cap = cap;
    }
    xp_conn *c = &t->conns[t->count];
    memset(c, 0, sizeof *c);
    memcpy(c->a, a, 16);
    memcpy(c->b, b, 16);
    c->pa = pa;
    c->pb = pb;
    c->ipver = ipver;
    c->proto = proto;
    c->first_from_a = (uint8_t)first_from_a;
    c->last_w = UINT32_MAX;
    c->first_ns = ts_ns;
    return t->count++;
}

uint32_t xp_conntab_lookup(xp_conntab *t, uint8_t ipver, uint8_t proto,
                           const uint8_t *src, uint16_t sport,
                           const uint8_t *dst, uint16_t dport,
                           int64_t ts_ns, int *from_a)
{
    /* Canonical order makes both directions one key. */
    int cmp = memcmp(src, dst, 16);
    int src_is_a = cmp < 0 || (cmp == 0 && sport <= dport);
    const uint8_t *a = src_is_a ? src : dst, *b = src_is_a ? dst : src;
    uint16_t pa = src_is_a ? sport : dport, pb = src_is_a ? dport : sport;
    *from_a = src_is_a;

    uint64_t h = key_hash(ipver, proto, a, pa, b, pb);
    uint64_t tag = (h >> 32) << 32;
    size_t mask = t->nslots - 1;
    size_t i = (size_t)h & mask;
    for (uint64_t s; (s = t->slots[i]) != 0; i = (i + 1) & mask) {
        if ((s & 0xffffffff00000000ULL) != tag)
            continue;
        uint32_t ci = (uint32_t)s - 1;
        if (same_key(&t->conns[ci], ipver, proto, a, pa, b, pb))
            return ci;
    }
    uint32_t ci = add_conn(t, ipver, proto, a, pa, b, pb, ts_ns, src_is_a);
    if (ci == UINT32_MAX)
        return ci;
    t->slots[i] = tag | (ci + 1);
    if ((size_t)t->count * 2 > t->nslots && grow_slots(t) < 0)
        return UINT32_MAX;
    return ci;
}

static int log_append(xp_log *l, uint64_t ev)
{
    size_t chunk = (size_t)(l->count >> XP_LOG_CHUNK_BITS);
    if (chunk == l->nchunks) {
        if (l->nchunks == l->chunks_cap) {
            size_t cap = l->chunks_cap ? l->chunks_cap * 2 : 16;
            uint64_t **grown = realloc(l->chunks, cap * sizeof *grown);
            if (!grown)
                return -1;
            l->chunks = grown;
            l->chunks_cap = cap;
        }
        l->chunks[l->nchunks] = malloc(XP_LOG_CHUNK * sizeof(uint64_t));
        if (!l->chunks[l->nchunks])
            return -1;
        l->nchunks++;
    }
    *xp_log_at(l, l->count++) = ev;
    return 0;
}

int xp_conntab_touch(xp_conntab *t, uint32_t ci, uint32_t w, uint32_t flags)
{
    xp_conn *c = &t->conns[ci];
    if (c->last_w == w) {
        if (flags)
            *xp_log_at(&t->log, c->last_event) |= flags;
        return 0;
    }
    c->last_w = w;
    c->last_event = t->log.count;
    return log_append(&t->log, XP_EV_MAKE(w, ci, flags));
}
