/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * window.h -- replaying the activity log one window at a time and
 * enumerating the candidate pairs the rule templates allow (internal).
 *
 * For each window the replay builds the set of active selected entities
 * (with their new bit) and the (client, generic) incidences.  The templates
 * of §2.3.1 then say which pairs can form a rule:
 *   flow  with flow     when they share an address;
 *   flow  with generic  when the generic's server is one of the flow's
 *                       addresses (and the flow is not one of its members);
 *   generic with generic when one client touched both in this window.
 * Pairs are found by bucketing the active entities by address and the
 * generics by client, so the work per window is the sum of the squared
 * bucket sizes, never K^2.
 */
#ifndef EXPOSE_WINDOW_H
#define EXPOSE_WINDOW_H

#include "engine.h"

typedef struct xp_window xp_window;

/* Called for every candidate pair seen in a window.  a and b are entity ids;
 * client is the common client for generic-generic pairs, XP_NONE otherwise.
 * The same pair may be reported more than once per window (once per shared
 * address or client). */
typedef int (*xp_pair_visit)(xp_window *win, uint32_t a, uint32_t b, uint32_t client,
                             void *ctx);

struct xp_window {
    xp_mine  *m;
    uint32_t  w;
    /* per entity, valid when ent_w[e] == w */
    uint32_t *ent_w;
    uint8_t  *ent_new;
    uint32_t *gen_head;       /* first client node of a generic entity */
    /* active entities of this window */
    uint32_t *act;
    uint32_t  nact, act_cap;
    /* per address bucket heads, valid when addr_w[a] == w */
    uint32_t *addr_w, *addr_head;
    uint32_t *cli_w, *cli_head;
    /* node pool for the buckets: value + next */
    uint32_t *node_val, *node_next, *node_aux;
    uint32_t  nnodes, nodes_cap;
    /* addresses with a bucket this window */
    uint32_t *touched, ntouched, touched_cap;
    uint32_t *clients, nclients, clients_cap;
    /* restrict the replay to entities with want[e] != 0 (NULL: all) */
    const uint8_t *want;
};

int  xp_window_init(xp_window *win, xp_mine *m);
void xp_window_free(xp_window *win);

/* Replay every window of the log, calling visit for each candidate pair. */
int xp_window_replay(xp_window *win, xp_pair_visit visit, void *ctx);

/* The clients of generic entity g in the current window: iterate with
 *   for (uint32_t n = win->gen_head[g]; n != XP_NONE; n = win->node_next[n])
 *       client = win->node_val[n];                                        */

#endif
