/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * activity.c -- replay the activity log once: how many windows each flow
 * and generic is present and new in; then pick what to mine.
 *
 * A TCP flow is new in a window where one of its connections sent a SYN; a
 * datagram flow is new when it becomes present after at least `idle`
 * seconds of silence (§2.1).  New implies present.  The replay marks the
 * events where a flow turns new (XP_EV_FLOWNEW) so that the pair-counting
 * replay need not re-derive it.
 *
 * Selection (§2.2 b, c): drop flows and generics present in more than
 * max_present of the windows, then keep the K most active (by windows
 * present); flows active in fewer than min_joint windows cannot form a
 * rule and are not selected.  Ties at the cut are broken by creation order, so runs are
 * deterministic.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static void mark_new(xp_mine *m, xp_flow *f, uint32_t w)
{
    if (f->new_w == w)
        return;
    f->new_w = w;
    f->fresh++;
    if (f->generic != XP_NONE) {
        xp_generic *g = &m->gens[f->generic];
        if (g->new_w != w) {
            g->new_w = w;
            g->fresh++;
        }
    }
}

int xp_activity_count(xp_mine *m)
{
    expose_engine *e = m->e;
    xp_conntab *ct = &e->ct;
    /* Silence of `idle` seconds spans this many whole empty windows. */
    int64_t gap = (e->idle_ns + e->window_ns - 1) / e->window_ns;
    if (gap < 1)
        gap = 1;
    for (uint64_t i = 0; i < ct->log.count; i++) {
        uint64_t *ev = xp_log_at(&ct->log, i);
        uint32_t w = XP_EV_W(*ev);
        const xp_conn *c = &ct->conns[XP_EV_CONN(*ev)];
        xp_flow *f = &m->flows[c->flow];
        int fresh = 0;
        *ev &= ~(uint64_t)XP_EV_FLOWNEW;   /* a previous mine may have set it */
        if (f->last_w != w) {
            if (f->proto != EXPOSE_TCP)
                fresh = f->last_w == XP_NONE || (int64_t)w - (int64_t)f->last_w > gap;
            f->last_w = w;
            f->present++;
            if (f->generic != XP_NONE) {
                xp_generic *g = &m->gens[f->generic];
                if (g->last_w != w) {
                    g->last_w = w;
                    g->present++;
                }
            }
        }
        if (f->proto == EXPOSE_TCP && (*ev & XP_EV_SYN))
            fresh = 1;
        if (fresh) {
            *ev |= XP_EV_FLOWNEW;
            mark_new(m, f, w);
        }
    }
    return 0;
}

/* Present-window count below which nothing is selected, and how many at
 * exactly that count still fit: a counting pass instead of a sort. */
static void cut_level(xp_mine *m, uint32_t limit, uint32_t *level, uint32_t *room)
{
    /* The histogram spans the counts that occur, not the windows: a trace
     * of a few packets can span billions of (empty) windows. */
    uint32_t W = 0;
    for (uint32_t i = 0; i < m->nflows; i++)
        if (m->flows[i].present <= limit && m->flows[i].present > W)
            W = m->flows[i].present;
    for (uint32_t i = 0; i < m->ngens; i++)
        if (m->gens[i].present <= limit && m->gens[i].present > W)
            W = m->gens[i].present;
    uint32_t *hist = calloc((size_t)W + 2, sizeof *hist);
    uint64_t total = 0;
    if (!hist) {            /* fall back: select everything under the limit */
        *level = 1;
        *room = UINT32_MAX;
        return;
    }
    uint32_t least = m->p->min_joint;
    for (uint32_t i = 0; i < m->nflows; i++)
        if (m->flows[i].present <= limit && m->flows[i].present >= least)
            hist[m->flows[i].present]++;
    for (uint32_t i = 0; i < m->ngens; i++)
        if (m->gens[i].present <= limit && m->gens[i].present >= least)
            hist[m->gens[i].present]++;
    uint32_t k = m->p->k;
    *level = 1;
    *room = UINT32_MAX;
    for (uint32_t c = W; c >= 1; c--) {
        if (total + hist[c] >= k) {
            *level = c;
            *room = (uint32_t)(k - total);
            break;
        }
        total += hist[c];
    }
    free(hist);
}

/* The cut: entities above `level` windows are taken, `room` more at it. */
typedef struct cut { uint32_t limit, level, room, cap; } cut;

/* Select one flow or generic when it passes the filters and the cut;
 * returns its entity id, or XP_NONE. */
static uint32_t select_one(xp_mine *m, cut *c, int is_generic, uint32_t index, uint32_t present,
                           uint32_t fresh)
{
    if (present > c->limit) {
        m->dropped_long++;
        return XP_NONE;
    }
    if (present < m->p->min_joint || present < c->level || m->nents == c->cap ||
        (present == c->level && c->room == 0))
        return XP_NONE;
    if (present == c->level)
        c->room--;
    xp_entity *en = &m->ents[m->nents];
    en->is_generic = (uint32_t)is_generic;
    en->index = index;
    en->count[EXPOSE_PRESENT] = present;
    en->count[EXPOSE_NEW] = fresh;
    return m->nents++;
}

int xp_activity_select(xp_mine *m)
{
    cut c = { .limit = (uint32_t)(m->p->max_present * m->nwindows) };
    cut_level(m, c.limit, &c.level, &c.room);
    c.cap = m->p->k < m->nflows + m->ngens ? m->p->k : m->nflows + m->ngens;
    m->ents = calloc(c.cap ? c.cap : 1, sizeof *m->ents);
    if (!m->ents) {
        xp_fail(m->e, "out of memory while selecting flows");
        return -1;
    }
    for (uint32_t i = 0; i < m->nflows; i++) {
        xp_flow *f = &m->flows[i];
        f->sel = select_one(m, &c, 0, i, f->present, f->fresh);
    }
    for (uint32_t i = 0; i < m->ngens; i++) {
        xp_generic *g = &m->gens[i];
        g->sel = select_one(m, &c, 1, i, g->present, g->fresh);
    }
    return 0;
}
