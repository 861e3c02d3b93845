/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cooccur.c -- count, for every candidate pair of entities, the windows in
 * which they are active together, split by activity (present/new on either
 * side).  This is Procedure 1's loop of §3: O(sum over windows of S_w^2).
 */
#include "window.h"

#include <stdlib.h>
#include <string.h>

static int count_pair(xp_window *win, uint32_t a, uint32_t b, uint32_t client, void *ctx)
{
    xp_mine *m = win->m;
    int created;
    uint32_t *id = xp_keymap_put(&m->pair_ids, (uint64_t)a << 32 | b, 0, m->npairs, &created);
    if (!id)
        return -1;
    if (created) {
        if (xp_reserve((void **)&m->pairs, &m->pairs_cap, m->npairs + 1, sizeof *m->pairs) < 0)
            return -1;
        xp_pair *p = &m->pairs[m->npairs++];
        memset(p, 0, sizeof *p);
        p->a = a;
        p->b = b;
        p->last_w = XP_NONE;
    }
    xp_pair *p = &m->pairs[*id];
    if (p->last_w == win->w)         /* already counted via another address */
        return 0;
    p->last_w = win->w;
    int na = win->ent_new[a], nb = win->ent_new[b];
    p->joint[0][0]++;
    p->joint[1][0] += (uint32_t)na;
    p->joint[0][1] += (uint32_t)nb;
    p->joint[1][1] += (uint32_t)(na & nb);
    return 0;
}

int xp_cooccur_count(xp_mine *m)
{
    xp_window win;
    int rc = -1;
    if (xp_keymap_init(&m->pair_ids, (size_t)m->nents * 16) < 0 || xp_window_init(&win, m) < 0)
        goto out;
    rc = xp_window_replay(&win, count_pair, NULL);
out:
    xp_window_free(&win);
    if (rc < 0)
        xp_fail(m->e, "out of memory while counting co-occurrences (%u pairs)", m->npairs);
    return rc;
}
