/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * result.c -- the one result model every output reads: items (only those
 * that take part in a rule), rules sorted by score, clusters strongest
 * first.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static void fill_item(const xp_mine *m, expose_item *it, uint32_t ent, int act)
{
    const xp_entity *en = &m->ents[ent];
    memset(it, 0, sizeof *it);
    it->activity = (expose_activity)act;
    it->windows = en->count[act];
    it->flow = ent;
    if (en->is_generic) {
        const xp_generic *g = &m->gens[en->index];
        it->generic = 1;
        it->proto = g->proto;
        it->ip_version = g->ipver;
        it->client_port = EXPOSE_ANY_PORT;
        memcpy(it->server, m->addrs[g->server].bytes, 16);
        it->server_port = (int32_t)g->sport;
        return;
    }
    const xp_flow *f = &m->flows[en->index];
    it->proto = f->proto;
    it->ip_version = f->ipver;
    memcpy(it->client, m->addrs[f->client].bytes, 16);
    memcpy(it->server, m->addrs[f->server].bytes, 16);
    it->client_port = f->cport == XP_ANY ? EXPOSE_ANY_PORT : (int32_t)f->cport;
    it->server_port = f->sport == XP_ANY ? EXPOSE_ANY_PORT : (int32_t)f->sport;
}

static uint32_t item_of(const xp_mine *m, expose_result *r, xp_keymap *ids, uint32_t ent,
                        int act, uint32_t cluster)
{
    int created;
    uint32_t *id = xp_keymap_put(ids, (uint64_t)ent << 1 | (uint64_t)act, 0, r->nitems, &created);
    if (!id)
        return XP_NONE;
    if (created) {
        fill_item(m, &r->items[r->nitems], ent, act);
        r->items[r->nitems].cluster = cluster;
        r->nitems++;
    }
    return *id;
}

static int build_rules(const xp_mine *m, expose_result *r)
{
    xp_keymap ids;
    if (xp_keymap_init(&ids, 2 * (size_t)m->nrules) < 0)
        return -1;
    for (uint32_t i = 0; i < m->nrules; i++) {
        const xp_rule *x = &m->rules[i];
        expose_rule *out = &r->rules[i];
        out->id = i + 1;
        out->lhs = item_of(m, r, &ids, x->lhs, x->lact, x->cluster);
        out->rhs = item_of(m, r, &ids, x->rhs, x->ract, x->rcluster);
        if (out->lhs == XP_NONE || out->rhs == XP_NONE) {
            xp_keymap_free(&ids);
            return -1;
        }
        out->score = x->score;
        out->support = x->support;
        out->p_lhs = x->p_lhs;
        out->p_rhs = x->p_rhs;
        out->p_both = x->p_both;
        out->cluster = x->cluster;
        out->bridge = x->bridge;
    }
    r->nrules = m->nrules;
    xp_keymap_free(&ids);
    return 0;
}

static int build_clusters(const xp_mine *m, expose_result *r)
{
    r->nclusters = m->nclusters;
    r->clusters = calloc(m->nclusters ? m->nclusters : 1, sizeof *r->clusters);
    if (!r->clusters)
        return -1;
    for (uint32_t i = 0; i < r->nrules; i++)
        r->clusters[r->rules[i].cluster - 1].nrules++;
    for (uint32_t c = 0; c < r->nclusters; c++) {
        r->clusters[c].id = c + 1;
        r->clusters[c].rules = malloc((r->clusters[c].nrules ? r->clusters[c].nrules : 1) *
                                      sizeof(uint32_t));
        if (!r->clusters[c].rules)
            return -1;
        r->clusters[c].nrules = 0;
    }
    /* Rules are sorted by score, so each cluster's list is too. */
    for (uint32_t i = 0; i < r->nrules; i++) {
        expose_cluster *c = &r->clusters[r->rules[i].cluster - 1];
        c->rules[c->nrules++] = r->rules[i].id;
        c->score += r->rules[i].score;
    }
    for (uint32_t i = 0; i < r->nitems; i++)
        if (r->items[i].cluster)
            r->clusters[r->items[i].cluster - 1].nitems++;
    return 0;
}

expose_result *xp_result_build(xp_mine *m)
{
    expose_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->params = *m->p;
    r->items = calloc(2 * (size_t)m->nrules + 1, sizeof *r->items);
    r->rules = calloc((size_t)m->nrules + 1, sizeof *r->rules);
    if (!r->items || !r->rules || build_rules(m, r) < 0 || build_clusters(m, r) < 0) {
        expose_result_free(r);
        return NULL;
    }
    return r;
}

void expose_result_free(expose_result *r)
{
    if (!r)
        return;
    for (uint32_t c = 0; c < r->nclusters && r->clusters; c++)
        free(r->clusters[c].rules);
    for (uint32_t p = 0; p < r->nprofiles && r->profiles; p++)
        free(r->profiles[p].significant);
    free(r->clusters);
    free(r->items);
    free(r->rules);
    free(r->profiles);
    free(r->scans);
    free(r);
}
