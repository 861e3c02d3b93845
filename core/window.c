/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * window.c -- per-window replay and candidate-pair enumeration.
 * This is the miner's hot loop: it allocates only when a window is larger
 * than every window before it.
 */
#include "window.h"

#include <stdlib.h>
#include <string.h>

int xp_window_init(xp_window *win, xp_mine *m)
{
    memset(win, 0, sizeof *win);
    win->m = m;
    size_t ne = m->nents ? m->nents : 1, na = m->naddrs ? m->naddrs : 1;
    win->ent_w = malloc(ne * sizeof *win->ent_w);
    win->ent_new = calloc(ne, 1);
    win->gen_head = malloc(ne * sizeof *win->gen_head);
    win->addr_w = malloc(na * sizeof *win->addr_w);
    win->addr_head = malloc(na * sizeof *win->addr_head);
    win->cli_w = malloc(na * sizeof *win->cli_w);
    win->cli_head = malloc(na * sizeof *win->cli_head);
    if (!win->ent_w || !win->ent_new || !win->gen_head || !win->addr_w || !win->addr_head ||
        !win->cli_w || !win->cli_head)
        return -1;
    memset(win->ent_w, 0xff, ne * sizeof *win->ent_w);
    memset(win->addr_w, 0xff, na * sizeof *win->addr_w);
    memset(win->cli_w, 0xff, na * sizeof *win->cli_w);
    return 0;
}

void xp_window_free(xp_window *win)
{
    free(win->ent_w);
    free(win->ent_new);
    free(win->gen_head);
    free(win->addr_w);
    free(win->addr_head);
    free(win->cli_w);
    free(win->cli_head);
    free(win->act);
    free(win->node_val);
    free(win->node_next);
    free(win->node_aux);
    free(win->touched);
    free(win->clients);
    memset(win, 0, sizeof *win);
}

static int node_reserve(xp_window *win, uint32_t extra)
{
    uint32_t need = win->nnodes + extra, cap = win->nodes_cap;
    if (need <= cap)
        return 0;
    if (xp_reserve((void **)&win->node_val, &cap, need, sizeof(uint32_t)) < 0)
        return -1;
    cap = win->nodes_cap;
    if (xp_reserve((void **)&win->node_next, &cap, need, sizeof(uint32_t)) < 0)
        return -1;
    cap = win->nodes_cap;
    if (xp_reserve((void **)&win->node_aux, &cap, need, sizeof(uint32_t)) < 0)
        return -1;
    win->nodes_cap = cap;
    return 0;
}

static uint32_t node_push(xp_window *win, uint32_t val, uint32_t next)
{
    uint32_t n = win->nnodes++;
    win->node_val[n] = val;
    win->node_next[n] = next;
    return n;
}

static int activate(xp_window *win, uint32_t e, int fresh)
{
    if (win->ent_w[e] == win->w) {
        win->ent_new[e] |= (uint8_t)fresh;
        return 0;
    }
    if (xp_reserve((void **)&win->act, &win->act_cap, win->nact + 1, sizeof *win->act) < 0)
        return -1;
    win->ent_w[e] = win->w;
    win->ent_new[e] = (uint8_t)fresh;
    win->gen_head[e] = XP_NONE;
    win->act[win->nact++] = e;
    return 0;
}

/* Record that `client` talked to generic entity g in this window, once. */
static int touch_client(xp_window *win, uint32_t client, uint32_t g)
{
    if (win->cli_w[client] != win->w) {
        if (xp_reserve((void **)&win->clients, &win->clients_cap, win->nclients + 1,
                       sizeof *win->clients) < 0)
            return -1;
        win->cli_w[client] = win->w;
        win->cli_head[client] = XP_NONE;
        win->clients[win->nclients++] = client;
    }
    for (uint32_t n = win->cli_head[client]; n != XP_NONE; n = win->node_next[n])
        if (win->node_val[n] == g)
            return 0;
    if (node_reserve(win, 2) < 0)
        return -1;
    win->cli_head[client] = node_push(win, g, win->cli_head[client]);
    win->gen_head[g] = node_push(win, client, win->gen_head[g]);
    return 0;
}

/* One event of the log: activate its flow, its generic, and the
 * client-generic incidence. */
static int replay_event(xp_window *win, uint64_t ev)
{
    xp_mine *m = win->m;
    const xp_conn *c = &m->e->ct.conns[XP_EV_CONN(ev)];
    const xp_flow *f = &m->flows[c->flow];
    int fresh = (ev & XP_EV_FLOWNEW) != 0;
    if (f->sel != XP_NONE && (!win->want || win->want[f->sel]))
        if (activate(win, f->sel, fresh) < 0)
            return -1;
    if (f->generic == XP_NONE)
        return 0;
    uint32_t g = m->gens[f->generic].sel;
    if (g == XP_NONE || (win->want && !win->want[g]))
        return 0;
    if (activate(win, g, fresh) < 0 || touch_client(win, f->client, g) < 0)
        return -1;
    return 0;
}

static int bucket_add(xp_window *win, uint32_t addr, uint32_t e)
{
    if (win->addr_w[addr] != win->w) {
        if (xp_reserve((void **)&win->touched, &win->touched_cap, win->ntouched + 1,
                       sizeof *win->touched) < 0)
            return -1;
        win->addr_w[addr] = win->w;
        win->addr_head[addr] = XP_NONE;
        win->touched[win->ntouched++] = addr;
    }
    win->addr_head[addr] = node_push(win, e, win->addr_head[addr]);
    return 0;
}

static int build_address_buckets(xp_window *win)
{
    xp_mine *m = win->m;
    if (node_reserve(win, 2 * win->nact) < 0)
        return -1;
    for (uint32_t i = 0; i < win->nact; i++) {
        uint32_t e = win->act[i];
        const xp_entity *en = &m->ents[e];
        if (en->is_generic) {
            if (bucket_add(win, m->gens[en->index].server, e) < 0)
                return -1;
            continue;
        }
        const xp_flow *f = &m->flows[en->index];
        if (bucket_add(win, f->client, e) < 0)
            return -1;
        if (f->server != f->client && bucket_add(win, f->server, e) < 0)
            return -1;
    }
    return 0;
}

/* May entities x and y, sharing an address, form a rule?  Two generics
 * need a common client instead; a flow never pairs with its own generic
 * (it implies it trivially). */
static int address_pair_allowed(const xp_mine *m, uint32_t x, uint32_t y)
{
    const xp_entity *ex = &m->ents[x], *ey = &m->ents[y];
    if (x == y || (ex->is_generic && ey->is_generic))
        return 0;
    if (ex->is_generic)
        return m->flows[ey->index].generic != ex->index;
    if (ey->is_generic)
        return m->flows[ex->index].generic != ey->index;
    return 1;
}

static int visit_buckets(xp_window *win, xp_pair_visit visit, void *ctx)
{
    xp_mine *m = win->m;
    for (uint32_t t = 0; t < win->ntouched; t++) {
        uint32_t head = win->addr_head[win->touched[t]];
        for (uint32_t i = head; i != XP_NONE; i = win->node_next[i]) {
            uint32_t x = win->node_val[i];
            for (uint32_t j = win->node_next[i]; j != XP_NONE; j = win->node_next[j]) {
                uint32_t y = win->node_val[j];
                if (!address_pair_allowed(m, x, y))
                    continue;
                if (visit(win, x < y ? x : y, x < y ? y : x, XP_NONE, ctx) < 0)
                    return -1;
            }
        }
    }
    for (uint32_t c = 0; c < win->nclients; c++) {
        uint32_t client = win->clients[c];
        for (uint32_t i = win->cli_head[client]; i != XP_NONE; i = win->node_next[i]) {
            uint32_t x = win->node_val[i];
            for (uint32_t j = win->node_next[i]; j != XP_NONE; j = win->node_next[j]) {
                uint32_t y = win->node_val[j];
                if (visit(win, x < y ? x : y, x < y ? y : x, client, ctx) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static int close_window(xp_window *win, xp_pair_visit visit, void *ctx)
{
    if (win->nact >= 2 && (build_address_buckets(win) < 0 || visit_buckets(win, visit, ctx) < 0))
        return -1;
    win->nact = win->nnodes = win->ntouched = win->nclients = 0;
    return 0;
}

int xp_window_replay(xp_window *win, xp_pair_visit visit, void *ctx)
{
    const xp_log *log = &win->m->e->ct.log;
    win->w = XP_NONE;
    win->nact = win->nnodes = win->ntouched = win->nclients = 0;
    for (uint64_t i = 0; i < log->count; i++) {
        uint64_t ev = *xp_log_at(log, i);
        uint32_t w = XP_EV_W(ev);
        if (w != win->w) {
            if (win->w != XP_NONE && close_window(win, visit, ctx) < 0)
                return -1;
            win->w = w;
        }
        if (replay_event(win, ev) < 0)
            return -1;
    }
    if (win->w != XP_NONE && close_window(win, visit, ctx) < 0)
        return -1;
    return 0;
}
