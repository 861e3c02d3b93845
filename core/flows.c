/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * flows.c -- connections -> oriented, port-folded flows -> generics.
 *
 * A flow is oriented client to server (§2.1).  The client is, in order of
 * preference: the side that sent a SYN; the side whose port is not
 * well-known when the other's is; the side with the higher port; the side
 * that sent first.  Ports that are not well-known print as "*" and match
 * each other, so one client's repeated connections to one service are one
 * flow.  Every flow to a well-known server port also feeds the generic
 * "*.* : server.port" (the relaxation template of §2.3.1).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static uint32_t intern_addr(xp_mine *m, uint8_t ipver, const uint8_t *bytes)
{
    uint64_t k1, k2;
    memcpy(&k1, bytes, 8);
    memcpy(&k2, bytes + 8, 8);
    k1 ^= (uint64_t)ipver << 60;
    int created;
    uint32_t *id = xp_keymap_put(&m->addr_ids, k1, k2, m->naddrs, &created);
    if (!id)
        return XP_NONE;
    if (created) {
        if (xp_reserve((void **)&m->addrs, &m->addrs_cap, m->naddrs + 1, sizeof *m->addrs) < 0)
            return XP_NONE;
        m->addrs[m->naddrs].ipver = ipver;
        memcpy(m->addrs[m->naddrs].bytes, bytes, 16);
        m->naddrs++;
    }
    return *id;
}

/* 1 when side a of the connection is the client. */
static int a_is_client(const xp_mine *m, const xp_conn *c)
{
    if (c->syn_mask == 1 || c->syn_mask == 2)
        return c->syn_mask == 1;
    if (c->proto == EXPOSE_TCP || c->proto == EXPOSE_UDP) {
        int wa = m->wellknown[c->pa] != 0, wb = m->wellknown[c->pb] != 0;
        if (wa != wb)
            return wb;
        if (c->pa != c->pb)
            return c->pa > c->pb;
    }
    return c->first_from_a;
}

/* A client's port stays visible only when below 1024 (syslog 514 -> 514,
 * NTP 123 -> 123) or learned: a client picking 2049 or 5000 as its
 * ephemeral port is not running NFS or UPnP. */
static uint32_t fold(const xp_mine *m, uint8_t proto, uint16_t port, int client_side)
{
    if (proto != EXPOSE_TCP && proto != EXPOSE_UDP)
        return XP_ANY;
    if (client_side && port >= 1024 && m->wellknown[port] != 2)
        return XP_ANY;
    return m->wellknown[port] ? port : XP_ANY;
}

static uint32_t generic_of(xp_mine *m, const xp_flow *f)
{
    if (f->sport == XP_ANY)
        return XP_NONE;
    uint64_t k1 = (uint64_t)f->server << 32 | f->sport;
    uint64_t k2 = f->proto;
    int created;
    uint32_t *id = xp_keymap_put(&m->gen_ids, k1, k2, m->ngens, &created);
    if (!id)
        return XP_NONE - 1;
    if (created) {
        if (xp_reserve((void **)&m->gens, &m->gens_cap, m->ngens + 1, sizeof *m->gens) < 0)
            return XP_NONE - 1;
        xp_generic *g = &m->gens[m->ngens++];
        memset(g, 0, sizeof *g);
        g->server = f->server;
        g->sport = f->sport;
        g->proto = f->proto;
        g->ipver = f->ipver;
        g->last_w = g->new_w = XP_NONE;
        g->sel = XP_NONE;
    }
    return *id;
}

static uint32_t flow_of(xp_mine *m, const xp_conn *c)
{
    int ac = a_is_client(m, c);
    uint32_t cid = intern_addr(m, c->ipver, ac ? c->a : c->b);
    uint32_t sid = intern_addr(m, c->ipver, ac ? c->b : c->a);
    if (cid == XP_NONE || sid == XP_NONE)
        return XP_NONE;
    uint32_t cport = fold(m, c->proto, ac ? c->pa : c->pb, 1);
    uint32_t sport = fold(m, c->proto, ac ? c->pb : c->pa, 0);
    uint64_t k1 = (uint64_t)cid << 32 | sid;
    uint64_t k2 = (uint64_t)cport << 32 | (uint64_t)sport << 8 | c->proto;
    int created;
    uint32_t *id = xp_keymap_put(&m->flow_ids, k1, k2, m->nflows, &created);
    if (!id)
        return XP_NONE;
    if (!created)
        return *id;
    if (xp_reserve((void **)&m->flows, &m->flows_cap, m->nflows + 1, sizeof *m->flows) < 0)
        return XP_NONE;
    xp_flow *f = &m->flows[m->nflows];
    memset(f, 0, sizeof *f);
    f->client = cid;
    f->server = sid;
    f->cport = cport;
    f->sport = sport;
    f->proto = c->proto;
    f->ipver = c->ipver;
    f->last_w = f->new_w = XP_NONE;
    f->sel = XP_NONE;
    f->generic = generic_of(m, f);
    if (f->generic == XP_NONE - 1)
        return XP_NONE;
    return m->nflows++;
}

int xp_flows_build(xp_mine *m)
{
    xp_conntab *ct = &m->e->ct;
    if (xp_keymap_init(&m->addr_ids, 1024) < 0 || xp_keymap_init(&m->flow_ids, 1024) < 0 ||
        xp_keymap_init(&m->gen_ids, 256) < 0)
        goto oom;
    for (uint32_t i = 0; i < ct->count; i++) {
        uint32_t f = flow_of(m, &ct->conns[i]);
        if (f == XP_NONE)
            goto oom;
        ct->conns[i].flow = f;
    }
    return 0;
oom:
    xp_fail(m->e, "out of memory while building flows");
    return -1;
}
