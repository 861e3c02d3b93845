/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_role.c -- a host's role from its significant port nodes.
 *
 * PAM'07 (Goal 1): client profiles hold destination ports of services,
 * server profiles the source ports where their services reside, P2P hosts
 * ports of P2P applications.  Each significant port node ("knot") is
 * classified from the flows through it:
 *
 *   p2p     a source port P >= 1024 outside the services list (learned or
 *           not), whose peers mostly use such ports too, on which the host
 *           both opened and accepted connections (or which it also uses as
 *           a destination port): a P2P application's listening port, which
 *           both contacts peers and is contacted by them.  Also a
 *           destination port of a P2P service (bittorrent, gnutella), or a
 *           learned destination port that is also a source-port knot.
 *   server  a source port that is well-known (listed or learned) on which
 *           the host is the server in most flows.
 *   client  a destination port that is well-known on which the host is the
 *           client in most flows.
 *   none    anything else (a client's fixed source port, a scanner's
 *           probing port, a target's RST replies to scanned ports).
 *
 * The role weighs knots by the flows through them (C, S, P):
 *   idle    no knot (nothing persistent: few flows, or no repeated port);
 *   p2p     P is at least a third of C + S + P;
 *   both    C and S are each at least 10% of C + S;
 *   client  or server, whichever is larger.
 * A server on an unregistered port that also connects out from it to peers'
 * unregistered ports is indistinguishable from a P2P node on its own
 * graphlet and is called p2p.
 */
#include "profile_int.h"

#include <string.h>

static int p2p_service(uint32_t port)
{
    const char *s = xp_port_service_name(port);
    return s && (!strcmp(s, "bittorrent") || !strncmp(s, "gnutella", 8));
}

/* Is port a knot of this host in the other port column? */
static int knot_in(const xp_host *h, const uint32_t *ep, const uint32_t *ids, uint32_t port)
{
    return ep[port] == h->epoch && h->nodes[ids[port]].sig;
}

static void knot_stats(xp_host *h)
{
    for (size_t i = 0; i < h->nwhole; i++) {
        const xp_view *v = &h->v[i];
        for (int k = 2; k < 4; k++) {
            uint32_t id = h->vn[i][k];
            if (id == XP_NONE || !h->nodes[id].sig)
                continue;
            xp_node *n = &h->nodes[id];
            n->h_client += (v->flags & XV_CLIENT) != 0;
            n->h_init += (v->flags & XV_INIT) != 0;
            n->other_unreg += xp_port_unregistered(k == 2 ? v->pport : v->hport);
        }
    }
}

static int src_kind(const xp_host *h, const xp_node *n)
{
    uint32_t p = n->value;
    int mixed = (n->h_init > 0 && n->h_init < n->flows) || knot_in(h, h->pp_ep, h->pp_id, p);
    if (xp_port_unregistered(p) && 2 * n->other_unreg > n->flows && mixed)
        return XK_P2P;
    if (h->m->wellknown[p] && 2 * (n->flows - n->h_client) > n->flows)
        return XK_SERVER;
    return XK_NONE;
}

static int dst_kind(const xp_host *h, const xp_node *n)
{
    uint32_t p = n->value;
    if (p2p_service(p))
        return XK_P2P;
    if (xp_port_unregistered(p) && h->m->wellknown[p] == 2 && knot_in(h, h->hp_ep, h->hp_id, p))
        return XK_P2P;
    if (h->m->wellknown[p] && 2 * n->h_client > n->flows)
        return XK_CLIENT;
    return XK_NONE;
}

static const char *decide(const uint64_t *w)
{
    uint64_t c = w[XK_CLIENT], s = w[XK_SERVER], p = w[XK_P2P], all = c + s + p;
    if (!all)
        return "idle";
    if (3 * p >= all)
        return "p2p";
    if (10 * c >= c + s && 10 * s >= c + s)
        return "both";
    return c >= s ? "client" : "server";
}

void xp_host_role(xp_host *h)
{
    knot_stats(h);
    uint64_t w[4] = { 0, 0, 0, 0 };
    for (uint32_t i = 0; i < h->nnodes; i++) {
        xp_node *n = &h->nodes[i];
        if (!n->sig || (n->col != EXPOSE_COL_SRC_PORT && n->col != EXPOSE_COL_DST_PORT))
            continue;
        n->kind = (uint8_t)(n->col == EXPOSE_COL_SRC_PORT ? src_kind(h, n) : dst_kind(h, n));
        w[n->kind] += n->flows;
    }
    h->role = decide(w);
}
