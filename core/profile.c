/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile.c -- end-host graphlet profiles (Karagiannis, Papagiannaki, Taft,
 * Faloutsos, "Profiling the End Host", PAM 2007) into the result model.
 *
 * Which hosts: every address with at least XP_PROFILE_MIN_FLOWS (2) flows,
 * a flow being a five-tuple (one connection of the table), local or remote.
 * With one flow a graphlet is a single path and has no significant node;
 * with two or more it always has one.  All of them are in the model and the
 * JSON; the text report lists the busiest.
 *
 * Per host (definitions in profile_graph.c, profile_time.c, profile_role.c):
 *   flows            five-tuples with the host at one end
 *   graphlet_nodes   nodes of the activity graphlet, root included
 *   significant      nodes of in- or out-degree > 1 (root excluded), sorted
 *                    by column (src port, dst port, dst IP, protocol) then
 *                    degree; at most XP_PROFILE_COLUMN_CAP per column
 *   compression      1 - significant_total / graphlet_nodes (the paper
 *                    reports this as "compression > 80%")
 *   coverage         covered_flows / flows, a flow being covered when its
 *                    path passes a significant IP or port node
 *   profile_nodes    nodes of the profile graphlet: the union of the covered
 *                    flows' paths, root included (0 when none is covered)
 *   stability, intervals, accepted: profile_time.c;  role: profile_role.c
 *
 * Cost: linear passes plus short radix sorts per host (profile_views.c,
 * profile_graph.c); no per-host hash tables, no allocation per flow.
 */
#include "profile_int.h"

#include <stdlib.h>
#include <string.h>

/* A significant node waiting to be emitted, in report order. */
typedef struct pick {
    uint32_t rank, degree, value, id;
} pick;

static uint32_t column_rank(int col)
{
    switch (col) {
    case EXPOSE_COL_SRC_PORT: return 0;
    case EXPOSE_COL_DST_PORT: return 1;
    case EXPOSE_COL_DST_IP: return 2;
    default: return 3;
    }
}

static int pick_order(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->degree != y->degree)
        return x->degree > y->degree ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

static void fill_node(const xp_host *h, expose_profile_node *o, const xp_node *n)
{
    memset(o, 0, sizeof *o);
    o->column = n->col;
    o->value = n->value;       /* a peer's address id until remapped */
    if (n->col == EXPOSE_COL_DST_IP) {
        o->ip_version = h->m->addrs[n->value].ipver;
        memcpy(o->addr, h->m->addrs[n->value].bytes, 16);
    }
    o->in_degree = n->in;
    o->out_degree = n->out;
    o->degree = n->in > n->out ? n->in : n->out;
    o->accepted = n->in_profile;
    o->deg_median = n->median;
    o->deg_p90 = n->p90;
    o->deg_outliers = n->outliers;
    o->flows = n->flows;
    o->intervals = n->nseries;
}

/* The significant nodes in report order, capped per column. */
static int emit_nodes(const xp_host *h, expose_profile *p, pick *picks)
{
    uint32_t np = 0;
    for (uint32_t i = 0; i < h->nnodes; i++) {
        const xp_node *n = &h->nodes[i];
        if (n->sig)
            picks[np++] = (pick){ column_rank(n->col),
                                  n->in > n->out ? n->in : n->out, n->value, i };
    }
    qsort(picks, np, sizeof *picks, pick_order);
    p->significant = calloc(np ? np : 1, sizeof *p->significant);
    if (!p->significant)
        return -1;
    uint32_t kept = 0, in_col = 0;
    for (uint32_t i = 0; i < np; i++) {
        in_col = i && picks[i].rank == picks[i - 1].rank ? in_col + 1 : 0;
        if (in_col < XP_PROFILE_COLUMN_CAP)
            fill_node(h, &p->significant[kept++], &h->nodes[picks[i].id]);
    }
    p->nsignificant = kept;
    return 0;
}

static int emit_profile(const xp_host *h, expose_profile *p, pick *picks)
{
    const xp_addr *a = &h->m->addrs[h->id];
    memset(p, 0, sizeof *p);
    p->ip_version = a->ipver;
    memcpy(p->host, a->bytes, 16);
    p->role = h->role;
    p->flows = (uint32_t)h->nwhole;
    p->graphlet_nodes = h->graphlet_nodes;
    p->profile_nodes = h->profile_nodes;
    p->significant_total = h->significant_total;
    p->covered_flows = h->covered;
    p->compression = 1.0 - (double)h->significant_total / h->graphlet_nodes;
    p->coverage = (double)h->covered / (double)h->nwhole;
    p->stability = h->stability;
    p->intervals = h->intervals;
    p->accepted_nodes = h->accepted_nodes;
    p->accepted = h->accepted_nodes > 0;
    p->first = (double)h->vw->first_ns[h->id] / 1e9;
    p->last = (double)h->vw->last_ns[h->id] / 1e9;
    return emit_nodes(h, p, picks);
}

static int build_all(expose_result *r, const xp_views *vw, xp_host *h)
{
    uint32_t n = 0;
    for (uint32_t id = 0; id < vw->naddrs; id++)
        n += vw->flows[id] >= XP_PROFILE_MIN_FLOWS;
    r->profiles = calloc(n ? n : 1, sizeof *r->profiles);
    /* Significant nodes of one host: at most its nodes, 4 + 3 per flow. */
    pick *picks = malloc((4 + 3 * (size_t)vw->max_segment) * sizeof *picks);
    int rc = -1;
    if (!r->profiles || !picks)
        goto out;
    for (uint32_t id = 0; id < vw->naddrs; id++) {
        if (vw->flows[id] < XP_PROFILE_MIN_FLOWS)
            continue;
        if (xp_host_graph(h, id) < 0 || xp_host_time(h) < 0)
            goto out;
        xp_host_role(h);
        if (emit_profile(h, &r->profiles[r->nprofiles], picks) < 0)
            goto out;
        r->nprofiles++;
    }
    rc = 0;
out:
    free(picks);
    return rc;
}

static uint64_t popularity_key(const expose_profile_node *o)
{
    return (uint64_t)o->column << 32 | o->value;
}

/* Index of key k in the sorted, distinct keys[0..n). */
static size_t find_key(const uint64_t *keys, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Table 2: in how many profiles each significant node appears (protocol
 * nodes are in nearly all and are left out).  Sort all (column, value)
 * keys, count runs once, then look each node up. */
static int popularity(expose_result *r)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->nprofiles; i++)
        n += r->profiles[i].nsignificant;
    uint64_t *keys = malloc((n + 1) * sizeof *keys), *tmp = malloc((n + 1) * sizeof *tmp);
    if (!keys || !tmp) {
        free(keys);
        free(tmp);
        return -1;
    }
    n = 0;
    for (uint32_t i = 0; i < r->nprofiles; i++)
        for (uint32_t j = 0; j < r->profiles[i].nsignificant; j++)
            if (r->profiles[i].significant[j].column != EXPOSE_COL_PROTO)
                keys[n++] = popularity_key(&r->profiles[i].significant[j]);
    xp_sort_u64(keys, tmp, n, 34);
    uint32_t *counts = (uint32_t *)tmp;     /* tmp is free after the sort */
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (!u || keys[u - 1] != keys[i]) {
            keys[u] = keys[i];
            counts[u++] = 0;
        }
        counts[u - 1]++;
    }
    for (uint32_t i = 0; i < r->nprofiles; i++)
        for (uint32_t j = 0; j < r->profiles[i].nsignificant; j++) {
            expose_profile_node *o = &r->profiles[i].significant[j];
            if (o->column != EXPOSE_COL_PROTO)
                o->hosts = counts[find_key(keys, u, popularity_key(o))];
        }
    free(keys);
    free(tmp);
    return 0;
}

static int profile_order(const void *a, const void *b)
{
    const expose_profile *x = a, *y = b;
    if (x->flows != y->flows)
        return x->flows > y->flows ? -1 : 1;
    if (x->ip_version != y->ip_version)
        return x->ip_version < y->ip_version ? -1 : 1;
    return memcmp(x->host, y->host, 16);
}

/* After sorting: a destination IP node points at the peer's profile. */
static int remap_peers(xp_mine *m, expose_result *r)
{
    uint32_t *prof = malloc(((size_t)m->naddrs + 1) * sizeof *prof);
    if (!prof)
        return -1;
    memset(prof, 0xff, ((size_t)m->naddrs + 1) * sizeof *prof);
    for (uint32_t i = 0; i < r->nprofiles; i++) {
        const expose_profile *p = &r->profiles[i];
        uint64_t k1, k2;
        memcpy(&k1, p->host, 8);
        memcpy(&k2, p->host + 8, 8);
        k1 ^= (uint64_t)p->ip_version << 60;    /* as flows.c interns */
        uint32_t id = xp_keymap_get(&m->addr_ids, k1, k2);
        if (id != XP_KEYMAP_MISSING)
            prof[id] = i;
    }
    for (uint32_t i = 0; i < r->nprofiles; i++)
        for (uint32_t j = 0; j < r->profiles[i].nsignificant; j++) {
            expose_profile_node *o = &r->profiles[i].significant[j];
            if (o->column == EXPOSE_COL_DST_IP)
                o->value = prof[o->value];
        }
    free(prof);
    return 0;
}

int xp_profiles_build(xp_mine *m, expose_result *r)
{
    xp_views vw;
    xp_host h;
    int rc = -1;
    memset(&h, 0, sizeof h);
    if (xp_views_build(m, &vw) < 0 || xp_host_init(&h, m, &vw) < 0 ||
        build_all(r, &vw, &h) < 0 || popularity(r) < 0)
        goto out;
    qsort(r->profiles, r->nprofiles, sizeof *r->profiles, profile_order);
    if (remap_peers(m, r) < 0)
        goto out;
    rc = 0;
out:
    xp_host_free(&h);
    xp_views_free(&vw);
    if (rc < 0)
        xp_fail(m->e, "out of memory while building host profiles");
    return rc;
}
