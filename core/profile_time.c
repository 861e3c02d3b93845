/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_time.c -- profiles over time (PAM'07, "Adaptivity", Goals 3-5).
 *
 * The trace is cut into intervals of profile_interval seconds from its
 * first packet; a connection belongs to every interval in which it sent
 * something (from the activity log).  Each interval has its own activity
 * graphlet per host and so its own significant set S_t.  A node significant
 * in an interval is significant in the whole trace too (a sub-graph cannot
 * have higher degrees), so only the whole-trace significant nodes are
 * followed; edges touching none of them are not even sorted.
 *
 * Delayed-accept: a node enters the profile when it is significant in two
 * consecutive intervals.  Aging: it leaves the profile after
 * profile_aging seconds without activity (no flow through it at all), from
 * the end of its last active interval to the start of its next one or to
 * the end of the trace; afterwards it must be accepted again.
 *
 * Stability: for consecutive intervals t-1, t in which the host was active
 * (silence is not a change of behaviour: aging deals with it),
 * |S_t ∩ S_t-1| / ((|S_t| + |S_t-1|) / 2), skipping pairs where both sets
 * are empty, averaged; unknown (< 0) without such a pair.
 *
 * Time series: a node's degree (the larger of in- and out-degree: the
 * out-degree of a port the host serves, the in-degree -- its number of
 * local ports, i.e. connections -- of a port it uses as a client) in each
 * interval in which it was active; summarised as median and 90th percentile
 * (linear interpolation between order statistics) and outliers: intervals
 * above both the 90th percentile and the upper box-plot fence
 * Q3 + 1.5 (Q3 - Q1).
 */
#include "profile_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct stab {
    uint32_t prev_iv, prev_count;
    double   sum;
    uint32_t pairs;
} stab;

static int push_series(xp_host *h, size_t *n, uint32_t node, uint32_t deg)
{
    if (*n == h->series_cap) {
        size_t cap = h->series_cap ? 2 * h->series_cap : 1024;
        uint64_t *s = realloc(h->series, cap * sizeof *s);
        if (!s)
            return -1;
        h->series = s;
        uint64_t *t = realloc(h->stmp, cap * sizeof *t);
        if (!t)
            return -1;
        h->stmp = t;
        h->series_cap = cap;
    }
    h->series[(*n)++] = (uint64_t)node << 32 | deg;
    return 0;
}

/* Idle from the end of interval `last` to the start of interval `iv`. */
static int aged(const xp_host *h, uint32_t last, uint32_t iv)
{
    int64_t idle = ((int64_t)iv - (int64_t)last - 1) * h->vw->iv_ns;
    return (double)idle >= h->m->p->profile_aging * 1e9;
}

/* A followed node active in interval iv with the group's degrees. */
static int node_interval(xp_host *h, uint32_t id, uint32_t iv, size_t *ns, uint32_t *count,
                         uint32_t *inter)
{
    xp_node *n = &h->nodes[id];
    uint32_t deg = n->gin > n->gout ? n->gin : n->gout;
    if (n->in_profile && n->last_act != XP_NONE && aged(h, n->last_act, iv))
        n->in_profile = 0;
    n->last_act = iv;
    if (deg > 1) {
        (*count)++;
        if (iv > 0 && n->last_sig == iv - 1) {
            (*inter)++;
            n->in_profile = 1;     /* significant twice in a row: accepted */
        }
        n->last_sig = iv;
    }
    return push_series(h, ns, id, deg);
}

static void stability_pair(stab *st, uint32_t iv, uint32_t count, uint32_t inter)
{
    if (st->prev_iv != XP_NONE && st->prev_iv + 1 == iv && st->prev_count + count > 0) {
        st->sum += inter / ((st->prev_count + count) / 2.0);
        st->pairs++;
    }
    st->prev_iv = iv;
    st->prev_count = count;
}

/* One interval's group of views, degrees already in gin/gout. */
static int process_group(xp_host *h, uint32_t iv, xp_vnodes *vn, size_t n, size_t *ns,
                         stab *st)
{
    uint32_t stamp = ++h->stamp, count = 0, inter = 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) {
            uint32_t id = vn[i][k];
            if (id == XP_NONE || !h->nodes[id].sig || h->nodes[id].mark == stamp)
                continue;
            h->nodes[id].mark = stamp;
            if (node_interval(h, id, iv, ns, &count, &inter) < 0)
                return -1;
        }
    stability_pair(st, iv, count, inter);
    h->intervals++;
    /* Reset the degrees of this group's nodes for the next one. */
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            if (vn[i][k] != XP_NONE)
                h->nodes[vn[i][k]].gin = h->nodes[vn[i][k]].gout = 0;
    return 0;
}

static double quantile(const uint32_t *x, size_t n, double p)
{
    double pos = (double)(n - 1) * p;
    size_t lo = (size_t)pos;
    if (lo + 1 >= n)
        return x[n - 1];
    return x[lo] + (pos - (double)lo) * ((double)x[lo + 1] - x[lo]);
}

/* One node's sorted series -> median, p90, outliers. */
static void summarise(xp_node *n, const uint32_t *x, size_t len)
{
    n->nseries = (uint32_t)len;
    n->median = quantile(x, len, 0.5);
    n->p90 = quantile(x, len, 0.9);
    double q1 = quantile(x, len, 0.25), q3 = quantile(x, len, 0.75);
    double fence = q3 + 1.5 * (q3 - q1);
    n->outliers = 0;
    for (size_t i = 0; i < len; i++)
        if (x[i] > fence && x[i] > n->p90)
            n->outliers++;
}

/* Sort (node, degree) pairs: each node's run comes out with its degrees
 * ascending, ready for quantiles. */
static int series_stats(xp_host *h, size_t ns)
{
    xp_sort_u64(h->series, h->stmp, ns, 32 + xp_bits_for(h->nnodes));
    uint32_t *vals = (uint32_t *)h->stmp;   /* free again after the sort */
    for (size_t i = 0; i < ns;) {
        uint32_t id = (uint32_t)(h->series[i] >> 32);
        size_t j = i;
        for (; j < ns && (uint32_t)(h->series[j] >> 32) == id; j++)
            vals[j - i] = (uint32_t)h->series[j];
        summarise(&h->nodes[id], vals, j - i);
        i = j;
    }
    return 0;
}

/* Nodes still in the profile at the end of the trace, after aging. */
static void finish(xp_host *h, const stab *st)
{
    const xp_views *vw = h->vw;
    h->accepted_nodes = 0;
    for (uint32_t i = 0; i < h->nnodes; i++) {
        xp_node *n = &h->nodes[i];
        if (!n->in_profile)
            continue;
        int64_t idle = vw->end_ns - (vw->t0_ns + ((int64_t)n->last_act + 1) * vw->iv_ns);
        if ((double)idle >= h->m->p->profile_aging * 1e9)
            n->in_profile = 0;
        else
            h->accepted_nodes++;
    }
    h->stability = st->pairs ? st->sum / st->pairs : -1.0;
}

/* A single interval is the whole trace: reuse its degrees. */
static int single_interval(xp_host *h, size_t *ns, stab *st)
{
    for (uint32_t i = 0; i < h->nnodes; i++) {
        h->nodes[i].gin = h->nodes[i].in;
        h->nodes[i].gout = h->nodes[i].out;
    }
    return process_group(h, 0, h->vn, h->nwhole, ns, st);
}

int xp_host_time(xp_host *h)
{
    stab st = { XP_NONE, 0, 0.0, 0 };
    size_t ns = 0;
    h->intervals = 0;
    if (h->vw->nintervals == 1) {
        if (single_interval(h, &ns, &st) < 0)
            return -1;
    } else {
        for (size_t i = h->nwhole; i < h->n;) {
            uint32_t slot = h->v[i].slot;
            size_t j = i;
            while (j < h->n && h->v[j].slot == slot)
                j++;
            xp_group_degrees(h, h->vn + i, j - i, 1);
            if (process_group(h, slot - 1, h->vn + i, j - i, &ns, &st) < 0)
                return -1;
            i = j;
        }
    }
    finish(h, &st);
    return series_stats(h, ns);
}
