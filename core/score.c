/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * score.c -- turn co-occurrence counts into rules (§2.2) and compute the
 * support of generic rules (§2.3.2).
 *
 *   Score(X => Y) = P(X and Y) * ln( P(Y|X) / P(Y) )
 *
 * the positive-correlation half of the J-measure.  A rule is kept when its
 * score exceeds alpha; present=>present rules also need
 * 1/ratio <= P(X)/P(Y) <= ratio (long-running flows); rules with a generic
 * also need more than beta distinct clients, and every rule needs its two
 * sides together in at least min_joint windows (see expose.h).
 */
#include "window.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int add_rule(xp_mine *m, uint32_t *cap, const xp_rule *r)
{
    if (xp_reserve((void **)&m->rules, cap, m->nrules + 1, sizeof *m->rules) < 0)
        return -1;
    m->rules[m->nrules++] = *r;
    return 0;
}

/* Score rule x(ax) => y(ay) of pair p; append it when it passes. */
static int consider(xp_mine *m, uint32_t *cap, uint32_t pi, uint32_t x, int ax, uint32_t y,
                    int ay, uint32_t joint)
{
    const xp_entity *ex = &m->ents[x], *ey = &m->ents[y];
    double W = m->nwindows;
    if (!joint || !ex->count[ax] || !ey->count[ay])
        return 0;
    m->candidates++;
    if (joint < m->p->min_joint)
        return 0;
    double px = ex->count[ax] / W, py = ey->count[ay] / W, pxy = joint / W;
    if (ax == EXPOSE_PRESENT && ay == EXPOSE_PRESENT) {
        double q = px / py;
        if (q > m->p->ratio || q * m->p->ratio < 1.0)
            return 0;
    }
    double score = pxy * log(pxy / (px * py));
    if (!(score > m->p->alpha))
        return 0;
    xp_rule r = { .lhs = x, .rhs = y, .lact = (uint8_t)ax, .ract = (uint8_t)ay, .pair = pi,
                  .score = score, .p_lhs = px, .p_rhs = py, .p_both = pxy,
                  .support = (ex->is_generic || ey->is_generic) ? 0 : -1 };
    return add_rule(m, cap, &r);
}

int xp_score_rules(xp_mine *m)
{
    uint32_t cap = 0;
    for (uint32_t i = 0; i < m->npairs; i++) {
        const xp_pair *p = &m->pairs[i];
        for (int aa = 0; aa < 2; aa++)
            for (int ab = 0; ab < 2; ab++) {
                uint32_t j = p->joint[aa][ab];
                if (consider(m, &cap, i, p->a, aa, p->b, ab, j) < 0 ||
                    consider(m, &cap, i, p->b, ab, p->a, aa, j) < 0) {
                    xp_fail(m->e, "out of memory while scoring rules");
                    return -1;
                }
            }
    }
    return 0;
}

/* ---------------------------------------------------------------- support */

typedef struct support_ctx {
    xp_keymap seen;        /* (rule, client) pairs already counted */
    xp_keymap pair_rule;   /* entity pair (a << 32 | b) -> first generic rule on it */
    uint32_t *next;        /* next generic rule on the same pair */
} support_ctx;

static int credit(xp_mine *m, support_ctx *s, uint32_t ri, uint32_t client)
{
    int created;
    if (!xp_keymap_put(&s->seen, ri, client, 0, &created))
        return -1;
    if (created)
        m->rules[ri].support++;
    return 0;
}

static int active_as(const xp_window *win, uint32_t e, int act)
{
    return act == EXPOSE_PRESENT || win->ent_new[e];
}

static int support_pair(xp_window *win, uint32_t a, uint32_t b, uint32_t client, void *ctx)
{
    xp_mine *m = win->m;
    support_ctx *s = ctx;
    uint32_t ri = xp_keymap_get(&s->pair_rule, (uint64_t)a << 32 | b, 0);
    for (; ri != XP_KEYMAP_MISSING && ri != XP_NONE; ri = s->next[ri]) {
        const xp_rule *r = &m->rules[ri];
        if (!active_as(win, r->lhs, r->lact) || !active_as(win, r->rhs, r->ract))
            continue;
        if (client != XP_NONE) {           /* generic with generic */
            if (credit(m, s, ri, client) < 0)
                return -1;
            continue;
        }
        uint32_t g = m->ents[a].is_generic ? a : b;   /* flow with generic */
        for (uint32_t n = win->gen_head[g]; n != XP_NONE; n = win->node_next[n])
            if (credit(m, s, ri, win->node_val[n]) < 0)
                return -1;
    }
    return 0;
}

/* Link the generic rules of each pair and mark the entities worth replaying. */
static int index_generic_rules(xp_mine *m, support_ctx *s, uint8_t *want)
{
    for (uint32_t i = 0; i < m->nrules; i++) {
        xp_rule *r = &m->rules[i];
        if (r->support < 0)
            continue;
        int created;
        const xp_pair *p = &m->pairs[r->pair];
        uint32_t *head = xp_keymap_put(&s->pair_rule, (uint64_t)p->a << 32 | p->b, 0, XP_NONE,
                                       &created);
        if (!head)
            return -1;
        s->next[i] = *head;
        *head = i;
        want[r->lhs] = want[r->rhs] = 1;
    }
    return 0;
}

static int drop_unsupported(xp_mine *m)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < m->nrules; i++) {
        const xp_rule *r = &m->rules[i];
        if (r->support >= 0 && r->support <= (long)m->p->beta)
            continue;
        m->rules[kept++] = *r;
    }
    m->nrules = kept;
    return 0;
}

int xp_support_count(xp_mine *m)
{
    support_ctx s;
    xp_window win;
    memset(&s, 0, sizeof s);
    memset(&win, 0, sizeof win);
    int rc = -1;
    uint8_t *want = calloc(m->nents ? m->nents : 1, 1);
    s.next = malloc((m->nrules ? m->nrules : 1) * sizeof *s.next);
    if (!want || !s.next || xp_keymap_init(&s.seen, 1024) < 0 ||
        xp_keymap_init(&s.pair_rule, 1024) < 0 || index_generic_rules(m, &s, want) < 0)
        goto out;
    if (s.pair_rule.count) {
        if (xp_window_init(&win, m) < 0)
            goto out;
        win.want = want;
        if (xp_window_replay(&win, support_pair, &s) < 0)
            goto out;
    }
    rc = drop_unsupported(m);
out:
    xp_window_free(&win);
    xp_keymap_free(&s.seen);
    xp_keymap_free(&s.pair_rule);
    free(s.next);
    free(want);
    if (rc < 0)
        xp_fail(m->e, "out of memory while counting rule support");
    return rc;
}
