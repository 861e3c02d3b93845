/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_views.c -- connections -> views, bucketed by host.
 *
 * A connection (exact five-tuple, both directions) is one flow of each of
 * its two hosts; from host H it is the graphlet path
 * H > proto > peer > H's port > peer's port, so a server's graphlet shows
 * its service as a source port.  Every host with at least
 * XP_PROFILE_MIN_FLOWS flows gets one "whole trace" view per flow, then one
 * view per (flow, interval) in which the connection sent something (read
 * off the activity log, which holds one event per connection and window).
 *
 * Views are written straight into per-host buckets (a counting sort done
 * while generating: count, prefix sums, scatter), so no sort is needed.
 * Whole-trace views are written first and the log is in time order, so each
 * host's bucket comes out as [whole views][interval 0][interval 1]...
 */
#include "profile_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The connection facts views need, packed for the replays. */
typedef struct cinfo {
    uint32_t id[2];
    uint16_t port[2];
    uint8_t  proto;
    uint8_t  flags;          /* CI_* */
} cinfo;

enum { CI_A_CLIENT = 1, CI_A_INIT = 2, CI_A_PROF = 4, CI_B_PROF = 8 };

int xp_conn_sides(const xp_mine *m, const xp_conn *c, uint32_t id[2])
{
    const xp_flow *f = &m->flows[c->flow];
    if (f->client == f->server) {
        /* Talking to itself: one host either way; orient by SYN, then port. */
        id[0] = id[1] = f->client;
        if (c->syn_mask == 1 || c->syn_mask == 2)
            return c->syn_mask == 1;
        return c->pa > c->pb;
    }
    int a_client = memcmp(m->addrs[f->client].bytes, c->a, 16) == 0;
    id[0] = a_client ? f->client : f->server;
    id[1] = a_client ? f->server : f->client;
    return a_client;
}

static void fill_view(xp_view *v, const cinfo *ci, int side, uint32_t slot)
{
    v->peer = ci->id[!side];
    int ports = xp_has_ports(ci->proto);
    v->hport = ports ? ci->port[side] : 0;
    v->pport = ports ? ci->port[!side] : 0;
    v->proto = ci->proto;
    int a_client = (ci->flags & CI_A_CLIENT) != 0, a_init = (ci->flags & CI_A_INIT) != 0;
    v->flags = (uint8_t)(((side == 0) == a_client ? XV_CLIENT : 0) |
                         ((side == 0) == a_init ? XV_INIT : 0));
    v->pad = 0;
    v->slot = slot;
}

/* Per connection: sides, flags; per host: flows and activity span. */
static cinfo *conn_pass(xp_mine *m, xp_views *vw)
{
    const xp_conntab *ct = &m->e->ct;
    cinfo *info = malloc(((size_t)ct->count + 1) * sizeof *info);
    if (!info)
        return NULL;
    for (uint32_t i = 0; i < ct->count; i++) {
        const xp_conn *c = &ct->conns[i];
        cinfo *ci = &info[i];
        ci->flags = (uint8_t)(xp_conn_sides(m, c, ci->id) ? CI_A_CLIENT : 0);
        if (xp_conn_a_initiated(c))
            ci->flags |= CI_A_INIT;
        ci->port[0] = c->pa;
        ci->port[1] = c->pb;
        ci->proto = c->proto;
        for (int s = 0; s < 2; s++) {
            uint32_t h = ci->id[s];
            if (vw->flows[h]++ == 0 || c->first_ns < vw->first_ns[h])
                vw->first_ns[h] = c->first_ns;
            if (c->last_ns > vw->last_ns[h])
                vw->last_ns[h] = c->last_ns;
        }
    }
    for (uint32_t i = 0; i < ct->count; i++) {
        cinfo *ci = &info[i];
        if (vw->flows[ci->id[0]] >= XP_PROFILE_MIN_FLOWS)
            ci->flags |= CI_A_PROF;
        if (vw->flows[ci->id[1]] >= XP_PROFILE_MIN_FLOWS)
            ci->flags |= CI_B_PROF;
    }
    return info;
}

/* Replay the log once: each (connection, interval) pair with activity,
 * in time order.  fill == NULL counts views per host into count[]. */
static void interval_pass(xp_mine *m, const xp_views *vw, const cinfo *info, uint32_t *last_iv,
                          size_t *count, size_t *cursor)
{
    const xp_conntab *ct = &m->e->ct;
    const int64_t wns = m->e->window_ns;
    memset(last_iv, 0xff, (size_t)ct->count * sizeof *last_iv);
    for (uint64_t i = 0; i < ct->log.count; i++) {
        uint64_t ev = *xp_log_at(&ct->log, i);
        uint32_t c = XP_EV_CONN(ev);
        uint32_t iv = (uint32_t)((int64_t)XP_EV_W(ev) * wns / vw->iv_ns);
        if (last_iv[c] == iv)
            continue;
        last_iv[c] = iv;
        const cinfo *ci = &info[c];
        for (int s = 0; s < 2; s++) {
            if (!(ci->flags & (s ? CI_B_PROF : CI_A_PROF)))
                continue;
            if (cursor)
                fill_view(&vw->v[cursor[ci->id[s]]++], ci, s, iv + 1);
            else
                count[ci->id[s]]++;
        }
    }
}

static int alloc_hosts(xp_views *vw, uint32_t n)
{
    vw->naddrs = n;
    vw->flows = calloc((size_t)n + 1, sizeof *vw->flows);
    vw->first_ns = calloc((size_t)n + 1, sizeof *vw->first_ns);
    vw->last_ns = calloc((size_t)n + 1, sizeof *vw->last_ns);
    vw->start = calloc((size_t)n + 2, sizeof *vw->start);
    return vw->flows && vw->first_ns && vw->last_ns && vw->start ? 0 : -1;
}

static void set_intervals(const xp_mine *m, xp_views *vw)
{
    const expose_engine *e = m->e;
    vw->iv_ns = llround(m->p->profile_interval * 1e9);
    if (vw->iv_ns < 1)
        vw->iv_ns = 1;
    vw->t0_ns = e->t0_ns;
    vw->end_ns = e->last_ns;
    vw->nintervals = (uint32_t)((e->last_ns - e->t0_ns) / vw->iv_ns) + 1;
}

/* Bucket sizes -> bucket starts (start[h]) and write cursors. */
static size_t prefix_sums(xp_views *vw, size_t *count)
{
    size_t sum = 0;
    vw->max_segment = 0;
    for (uint32_t h = 0; h < vw->naddrs; h++) {
        size_t n = vw->flows[h] >= XP_PROFILE_MIN_FLOWS ? vw->flows[h] + count[h] : 0;
        vw->start[h] = sum;
        count[h] = sum;      /* becomes the write cursor */
        sum += n;
        if (n > vw->max_segment)
            vw->max_segment = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    vw->start[vw->naddrs] = sum;
    return sum;
}

static void whole_pass(const xp_mine *m, xp_views *vw, const cinfo *info, size_t *cursor)
{
    for (uint32_t i = 0; i < m->e->ct.count; i++)
        for (int s = 0; s < 2; s++)
            if (info[i].flags & (s ? CI_B_PROF : CI_A_PROF))
                fill_view(&vw->v[cursor[info[i].id[s]]++], &info[i], s, 0);
}

int xp_views_build(xp_mine *m, xp_views *vw)
{
    memset(vw, 0, sizeof *vw);
    set_intervals(m, vw);
    if (alloc_hosts(vw, m->naddrs) < 0)
        return -1;
    cinfo *info = conn_pass(m, vw);
    size_t *count = calloc((size_t)m->naddrs + 1, sizeof *count);
    uint32_t *last_iv = malloc(((size_t)m->e->ct.count + 1) * sizeof *last_iv);
    int rc = -1;
    if (!info || !count || !last_iv)
        goto out;
    /* One interval: its graphlet is the whole trace's, no second copy. */
    if (vw->nintervals > 1)
        interval_pass(m, vw, info, last_iv, count, NULL);
    size_t total = prefix_sums(vw, count);
    vw->v = malloc((total + 1) * sizeof *vw->v);
    if (!vw->v)
        goto out;
    whole_pass(m, vw, info, count);
    if (vw->nintervals > 1)
        interval_pass(m, vw, info, last_iv, NULL, count);
    rc = 0;
out:
    free(info);
    free(count);
    free(last_iv);
    return rc;
}

void xp_views_free(xp_views *vw)
{
    free(vw->v);
    free(vw->start);
    free(vw->flows);
    free(vw->first_ns);
    free(vw->last_ns);
    memset(vw, 0, sizeof *vw);
}
