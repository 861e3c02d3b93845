/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * mine.c -- expose_engine_mine(): run the stages in order (engine.h lists
 * them) and hand back the result model.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void describe_skips(const expose_engine *e, char *buf, size_t len)
{
    static const char *names[EXPOSE_SKIP__COUNT] = {
        "not IP", "other IP protocol", "IP fragment", "malformed", "unsupported link type"
    };
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < EXPOSE_SKIP__COUNT; i++)
        if (e->sum.skipped[i] && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%llu %s", used ? ", " : "",
                                     (unsigned long long)e->sum.skipped[i], names[i]);
}

static int check_minable(expose_engine *e)
{
    if (e->failed)
        return -1;
    if (e->sum.ip_packets == 0) {
        char why[200];
        describe_skips(e, why, sizeof why);
        if (e->sum.packets == 0)
            xp_fail(e, "no packets to mine");
        else
            xp_fail(e, "no TCP, UDP or ICMP packets over IP to mine (%llu packets: %s)",
                    (unsigned long long)e->sum.packets, why);
        return -1;
    }
    uint64_t W = (uint64_t)e->cur_w + 1;
    if (W < e->params.min_windows) {
        xp_fail(e, "too few windows: the capture spans %llu window%s of %g s (%.3f s of "
                "traffic); eXpose needs at least %u to find rules: use a longer capture "
                "or a smaller window", (unsigned long long)W, W == 1 ? "" : "s",
                e->params.window, e->sum.last - e->sum.first, e->params.min_windows);
        return -1;
    }
    return 0;
}

static int rule_order(const void *a, const void *b)
{
    const xp_rule *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->lhs != y->lhs)
        return x->lhs < y->lhs ? -1 : 1;
    if (x->rhs != y->rhs)
        return x->rhs < y->rhs ? -1 : 1;
    if (x->lact != y->lact)
        return x->lact < y->lact ? -1 : 1;
    return (int)x->ract - (int)y->ract;
}

void xp_mine_free(xp_mine *m)
{
    free(m->wellknown);
    free(m->addrs);
    xp_keymap_free(&m->addr_ids);
    free(m->flows);
    xp_keymap_free(&m->flow_ids);
    free(m->gens);
    xp_keymap_free(&m->gen_ids);
    free(m->ents);
    free(m->pairs);
    free(m->rules);
}

/* A host that scans is labelled by that first: it is what an administrator
 * needs to see, whatever its port knots say. */
static void mark_scanners(expose_result *r)
{
    for (uint32_t s = 0; s < r->nscans; s++)
        for (uint32_t p = 0; p < r->nprofiles; p++) {
            expose_profile *pr = &r->profiles[p];
            if (pr->ip_version == r->scans[s].ip_version &&
                !memcmp(pr->host, r->scans[s].host, 16))
                pr->role = "scanner";
        }
}

static void fill_summary(const xp_mine *m, expose_result *r)
{
    r->summary = m->e->sum;
    r->summary.connections = m->e->ct.count;
    r->summary.flows = m->nflows;
    r->summary.windows = m->nwindows;
    r->summary.generics = m->ngens;
    r->summary.selected = m->nents;
    r->summary.dropped_long = m->dropped_long;
    r->summary.candidates = m->candidates;
    r->summary.rules = r->nrules;
    r->summary.clusters = r->nclusters;
    r->summary.nlearned = m->nlearned;
    memcpy(r->summary.learned, m->learned, sizeof m->learned);
}

expose_result *expose_engine_mine(expose_engine *e)
{
    double t0 = now();
    if (check_minable(e) < 0)
        return NULL;
    e->error[0] = 0;
    xp_mine m;
    memset(&m, 0, sizeof m);
    m.e = e;
    m.p = &e->params;
    m.nwindows = e->cur_w + 1;
    expose_result *r = NULL;
    if (xp_ports_learn(&m) < 0 || xp_flows_build(&m) < 0 || xp_activity_count(&m) < 0 ||
        xp_activity_select(&m) < 0 || xp_cooccur_count(&m) < 0 || xp_score_rules(&m) < 0 ||
        xp_support_count(&m) < 0)
        goto out;
    if (m.nrules > 1)
        qsort(m.rules, m.nrules, sizeof *m.rules, rule_order);
    if (xp_cluster_rules(&m) < 0)
        goto out;
    r = xp_result_build(&m);
    if (!r) {
        xp_fail(e, "out of memory while building the result");
        goto out;
    }
    if (xp_profiles_build(&m, r) < 0 || xp_scans_build(&m, r) < 0) {
        expose_result_free(r);
        r = NULL;
        goto out;
    }
    mark_scanners(r);
    fill_summary(&m, r);
    r->summary.mine_seconds = now() - t0;
out:
    xp_mine_free(&m);
    return r;
}
