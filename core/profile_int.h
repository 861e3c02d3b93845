/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_int.h -- end-host graphlet profiles and scans (internal).
 *
 * Files:
 *   profile_sort.c   radix sorts of 64-bit keys (the only sorting tool here)
 *   profile_views.c  connections -> "views" (a flow seen from one of its
 *                    hosts), bucketed by host, whole trace then per interval
 *   profile_graph.c  per host: graphlet nodes and their in/out degrees
 *   profile_time.c   per host: intervals, delayed-accept, aging, stability,
 *                    per-node degree series
 *   profile_role.c   per host: knots -> client / server / both / p2p / idle
 *   profile.c        xp_profiles_build(): the above, then the result model
 *   scan.c           xp_scans_build(): port and address scans
 *   profile_out.c    the text and JSON sections
 */
#ifndef EXPOSE_PROFILE_INT_H
#define EXPOSE_PROFILE_INT_H

#include "engine.h"

/* Hosts with fewer flows have a single path: no node can have degree > 1. */
#define XP_PROFILE_MIN_FLOWS 2
/* At most this many significant nodes per column are kept in the model
 * (highest degree first); expose_profile.significant_total counts all. */
#define XP_PROFILE_COLUMN_CAP 64

/* ------------------------------------------------------------- sorting */

/* Sort n keys, all below 2^bits, ascending; tmp has room for n keys. */
void xp_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n, unsigned bits);
/* Same, carrying a 32-bit payload along (stable). */
void xp_sort_u64_idx(uint64_t *keys, uint32_t *idx, uint64_t *ktmp, uint32_t *itmp,
                     size_t n, unsigned bits);
/* Bits needed to hold values 0 .. n-1 (at least 1). */
unsigned xp_bits_for(uint64_t n);

/* --------------------------------------------------------- connections */

/* Side ids of a connection: interned address of a and of b (flows.c
 * interned every endpoint).  Returns 1 when a is the client in the miner's
 * orientation (the flows of the rules), 0 when b is. */
int xp_conn_sides(const xp_mine *m, const xp_conn *c, uint32_t id[2]);

/* 1 when a opened the connection: sent the SYN, or (no single SYN) sent
 * the first packet.  Used for scans and for the P2P test of a port. */
static inline int xp_conn_a_initiated(const xp_conn *c)
{
    if (c->syn_mask == 1 || c->syn_mask == 2)
        return c->syn_mask == 1;
    return c->first_from_a;
}

static inline int xp_has_ports(uint8_t proto)
{
    return proto == EXPOSE_TCP || proto == EXPOSE_UDP;
}

/* A port a host picks freely: 1024 and above, no registered service. */
static inline int xp_port_unregistered(uint32_t port)
{
    return port >= 1024 && !xp_port_is_service(port);
}

/* -------------------------------------------------------------- views */

enum { XV_CLIENT = 1,    /* the host is the client (miner's orientation) */
       XV_INIT = 2 };    /* the host opened the connection */

/* One flow seen from one of its hosts H: H > proto > peer > hport > pport. */
typedef struct xp_view {
    uint32_t peer;           /* interned address id */
    uint16_t hport, pport;   /* meaningful for TCP and UDP only */
    uint8_t  proto;
    uint8_t  flags;          /* XV_* */
    uint16_t pad;
    uint32_t slot;           /* 0: the whole trace; i + 1: interval i */
} xp_view;

typedef struct xp_views {
    xp_view  *v;
    size_t   *start;         /* host h: v[start[h] .. start[h + 1]) */
    uint32_t *flows;         /* host h: its whole-trace views come first */
    int64_t  *first_ns, *last_ns;   /* host activity span */
    uint32_t naddrs;
    uint32_t nintervals;     /* intervals spanned by the trace (>= 1) */
    uint32_t max_segment;    /* largest host segment */
    int64_t  t0_ns, iv_ns, end_ns;   /* trace start, interval length, trace end */
} xp_views;

int  xp_views_build(xp_mine *m, xp_views *vw);
void xp_views_free(xp_views *vw);

/* ------------------------------------------------------ per-host graph */

enum { XK_NONE = 0, XK_CLIENT, XK_SERVER, XK_P2P };   /* knot kinds */

/* A node of one host's graphlet (host-local). */
typedef struct xp_node {
    uint32_t value;          /* protocol, peer address id, or port */
    uint8_t  col;            /* EXPOSE_COL_* */
    uint8_t  sig;            /* significant in the whole-trace graphlet */
    uint8_t  in_profile;     /* delayed-accept state (profile_time.c) */
    uint8_t  kind;           /* XK_* for significant port nodes */
    uint32_t in, out;        /* whole-trace degrees */
    uint32_t flows;          /* whole-trace flows through the node */
    uint32_t gin, gout;      /* degrees in the group being processed */
    uint32_t mark;           /* scratch stamp */
    uint32_t last_sig, last_act;   /* interval indexes, XP_NONE: never */
    uint32_t nseries;        /* intervals in which the node was active */
    uint32_t outliers;
    double   median, p90;
    uint32_t h_client, h_init, other_unreg;   /* knot statistics */
} xp_node;

/* Local node ids of one view: proto, peer, hport, pport (XP_NONE: none). */
typedef uint32_t xp_vnodes[4];

typedef struct xp_host {
    xp_mine *m;
    const xp_views *vw;
    uint32_t id;             /* interned address id of the host */
    const xp_view *v;        /* its segment */
    size_t   n, nwhole;
    /* value -> local node id maps; an entry is valid when its epoch matches */
    uint32_t epoch, stamp;
    uint32_t *peer_ep, *peer_id;
    uint32_t *hp_ep, *hp_id, *pp_ep, *pp_id;
    uint32_t proto_id[4];
    xp_node  *nodes;   uint32_t nnodes, nodes_cap;
    xp_vnodes *vn;     size_t vn_cap;
    uint64_t *keys, *tmp;  size_t keys_cap;       /* edges of one group */
    uint64_t *series, *stmp;  size_t series_cap;  /* (node, degree) per interval */
    /* results */
    uint32_t graphlet_nodes, profile_nodes, significant_total, covered;
    uint32_t intervals, accepted_nodes;
    double   stability;      /* < 0: unknown */
    const char *role;
} xp_host;

int  xp_host_init(xp_host *h, xp_mine *m, const xp_views *vw);
void xp_host_free(xp_host *h);
/* Graphlet of host `id`: nodes, whole-trace degrees, significance,
 * coverage, profile graphlet size.  -1: out of memory. */
int  xp_host_graph(xp_host *h, uint32_t id);
/* Degrees (gin/gout, added to) of the nodes of views vn[0..n); only edges
 * touching a node with sig set when sig_only. */
void xp_group_degrees(xp_host *h, xp_vnodes *vn, size_t n, int sig_only);
/* Intervals: delayed-accept, aging, stability, degree series. */
int  xp_host_time(xp_host *h);
/* Knot kinds and the host's role. */
void xp_host_role(xp_host *h);

#endif
