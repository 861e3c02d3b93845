/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cooccur.c -- count, for every candidate pair of entities, the windows in
 * which they are active together, split by activity (present/new on either
 * side).  This is Procedure 1's loop of §3: O(sum over windows of S_w^2).
 *
 * The counts live in the hash table's slots themselves (one cache line
 * touched per visit, no separate index), open addressing with linear
 * probing; a slot with a == b == 0 is empty (a < b for every real pair).
 * When the replay ends the table is compacted in place into m->pairs.
 */
#include "window.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

typedef struct pair_table {
    xp_pair *slots;
    size_t cap, count;     /* cap: power of two, load kept at or below 1/2 */
} pair_table;

static size_t slot_of(uint32_t a, uint32_t b, size_t mask)
{
    return (size_t)xp_mix64((uint64_t)a << 32 | b) & mask;
}

static int table_grow(pair_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024, mask = cap - 1;
    xp_pair *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        const xp_pair *p = &t->slots[i];
        if (!p->a && !p->b)
            continue;
        size_t j = slot_of(p->a, p->b, mask);
        while (slots[j].a || slots[j].b)
            j = (j + 1) & mask;
        slots[j] = *p;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static xp_pair *table_find(pair_table *t, uint32_t a, uint32_t b)
{
    if ((t->count + 1) * 2 > t->cap && table_grow(t) < 0)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = slot_of(a, b, mask);; i = (i + 1) & mask) {
        xp_pair *p = &t->slots[i];
        if (p->a == a && p->b == b)
            return p;
        if (!p->a && !p->b) {
            p->a = a;
            p->b = b;
            p->last_w = XP_NONE;
            t->count++;
            return p;
        }
    }
}

static int count_pair(xp_window *win, uint32_t a, uint32_t b, uint32_t client, void *ctx)
{
    xp_pair *p = table_find(ctx, a, b);
    if (!p)
        return -1;
    if (p->last_w == win->w)         /* already counted via another address */
        return 0;
    p->last_w = win->w;
    uint32_t na = win->ent_new[a], nb = win->ent_new[b];
    p->joint[0][0]++;
    p->joint[1][0] += na;
    p->joint[0][1] += nb;
    p->joint[1][1] += na & nb;
    return 0;
}

int xp_cooccur_count(xp_mine *m)
{
    xp_window win;
    pair_table t = { 0 };
    int rc = -1;
    if (table_grow(&t) < 0 || xp_window_init(&win, m) < 0)
        goto out;
    rc = xp_window_replay(&win, count_pair, &t);
out:
    xp_window_free(&win);
    if (rc < 0) {
        free(t.slots);
        xp_fail(m->e, "out of memory while counting co-occurrences (%zu pairs)", t.count);
        return -1;
    }
    size_t n = 0;                      /* compact the used slots to the front */
    for (size_t i = 0; i < t.cap; i++)
        if (t.slots[i].a || t.slots[i].b)
            t.slots[n++] = t.slots[i];
    m->pairs = t.slots;
    m->npairs = (uint32_t)n;
    return 0;
}
