/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_graph.c -- one host's activity graphlet (PAM'07, §3).
 *
 * Columns: source IP (the host, the root) > protocol > destination IP >
 * source port > destination port; one path per flow.  A node is a value in
 * a column (port 80 in the destination-port column is one node however many
 * flows reach it), so the graphlet is a layered graph, not a tree.  Its
 * edges are the distinct value pairs of consecutive columns; a node's
 * out-degree is its number of distinct successors, its in-degree its
 * number of distinct predecessors.  ICMP paths stop at the destination IP.
 *
 * Significant nodes have in- or out-degree above 1.  The root is left out:
 * it is the host itself and trivially of high degree.  Protocol nodes are
 * kept in the significant set (their out-degree is the number of peers, the
 * paper's scan indicator) but, like the root, every flow passes through
 * them, so coverage and the profile graphlet count only "knots": significant
 * destination-IP and port nodes.
 *
 * Degrees come from one sort per group of views: every edge is packed as
 * (local id of its tail << bits | local id of its head) into one array,
 * sorted and walked once.  Local ids are dense per host (epoch-stamped
 * value -> id maps, never cleared), so keys are short and sorts are cheap.
 */
#include "profile_int.h"

#include <stdlib.h>
#include <string.h>

int xp_host_init(xp_host *h, xp_mine *m, const xp_views *vw)
{
    memset(h, 0, sizeof *h);
    h->m = m;
    h->vw = vw;
    size_t na = (size_t)vw->naddrs + 1;
    h->peer_ep = calloc(na, sizeof *h->peer_ep);
    h->peer_id = calloc(na, sizeof *h->peer_id);
    h->hp_ep = calloc(65536, sizeof *h->hp_ep);
    h->hp_id = calloc(65536, sizeof *h->hp_id);
    h->pp_ep = calloc(65536, sizeof *h->pp_ep);
    h->pp_id = calloc(65536, sizeof *h->pp_id);
    size_t seg = vw->max_segment ? vw->max_segment : 1;
    h->vn = malloc(seg * sizeof *h->vn);
    h->vn_cap = seg;
    h->keys_cap = 3 * seg;
    h->keys = malloc(h->keys_cap * sizeof *h->keys);
    h->tmp = malloc(h->keys_cap * sizeof *h->tmp);
    if (!h->peer_ep || !h->peer_id || !h->hp_ep || !h->hp_id || !h->pp_ep || !h->pp_id ||
        !h->vn || !h->keys || !h->tmp)
        return -1;
    return 0;
}

void xp_host_free(xp_host *h)
{
    free(h->peer_ep);
    free(h->peer_id);
    free(h->hp_ep);
    free(h->hp_id);
    free(h->pp_ep);
    free(h->pp_id);
    free(h->nodes);
    free(h->vn);
    free(h->keys);
    free(h->tmp);
    free(h->series);
    free(h->stmp);
    memset(h, 0, sizeof *h);
}

static int proto_index(uint8_t proto)
{
    switch (proto) {
    case EXPOSE_TCP: return 0;
    case EXPOSE_UDP: return 1;
    case EXPOSE_ICMP: return 2;
    default: return 3;
    }
}

static uint32_t new_node(xp_host *h, int col, uint32_t value)
{
    if (xp_reserve((void **)&h->nodes, &h->nodes_cap, h->nnodes + 1, sizeof *h->nodes) < 0)
        return XP_NONE;
    xp_node *n = &h->nodes[h->nnodes];
    memset(n, 0, sizeof *n);
    n->col = (uint8_t)col;
    n->value = value;
    n->last_sig = n->last_act = XP_NONE;
    return h->nnodes++;
}

/* Local id of a value in a column, created on first sight. */
static uint32_t node_of(xp_host *h, uint32_t *ep, uint32_t *ids, int col, uint32_t value)
{
    if (ep[value] == h->epoch)
        return ids[value];
    uint32_t id = new_node(h, col, value);
    ep[value] = h->epoch;
    ids[value] = id;
    return id;
}

static int view_nodes(xp_host *h, const xp_view *v, uint32_t *out)
{
    int pi = proto_index(v->proto);
    if (h->proto_id[pi] == XP_NONE)
        h->proto_id[pi] = new_node(h, EXPOSE_COL_PROTO, v->proto);
    out[0] = h->proto_id[pi];
    out[1] = node_of(h, h->peer_ep, h->peer_id, EXPOSE_COL_DST_IP, v->peer);
    out[2] = out[3] = XP_NONE;
    if (xp_has_ports(v->proto)) {
        out[2] = node_of(h, h->hp_ep, h->hp_id, EXPOSE_COL_SRC_PORT, v->hport);
        out[3] = node_of(h, h->pp_ep, h->pp_id, EXPOSE_COL_DST_PORT, v->pport);
    }
    if (out[0] == XP_NONE || out[1] == XP_NONE)
        return -1;
    return xp_has_ports(v->proto) && (out[2] == XP_NONE || out[3] == XP_NONE) ? -1 : 0;
}

static inline void push_edge(xp_host *h, size_t *ne, uint32_t a, uint32_t b, unsigned bits,
                             int sig_only)
{
    if (sig_only && !h->nodes[a].sig && !h->nodes[b].sig)
        return;
    h->keys[(*ne)++] = (uint64_t)a << bits | b;
}

void xp_group_degrees(xp_host *h, xp_vnodes *vn, size_t n, int sig_only)
{
    unsigned bits = xp_bits_for(h->nnodes);
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        push_edge(h, &ne, vn[i][0], vn[i][1], bits, sig_only);
        if (vn[i][2] != XP_NONE) {
            push_edge(h, &ne, vn[i][1], vn[i][2], bits, sig_only);
            push_edge(h, &ne, vn[i][2], vn[i][3], bits, sig_only);
        }
    }
    xp_sort_u64(h->keys, h->tmp, ne, 2 * bits);
    for (size_t i = 0; i < ne; i++) {
        if (i && h->keys[i] == h->keys[i - 1])
            continue;
        h->nodes[h->keys[i] >> bits].gout++;
        h->nodes[h->keys[i] & mask].gin++;
    }
}

/* Whole-trace degrees, significance and the flows through each node. */
static void whole_degrees(xp_host *h)
{
    xp_group_degrees(h, h->vn, h->nwhole, 0);
    h->significant_total = 0;
    for (uint32_t i = 0; i < h->nnodes; i++) {
        xp_node *n = &h->nodes[i];
        n->in = n->col == EXPOSE_COL_PROTO ? 1 : n->gin;   /* the root's edge */
        n->out = n->gout;
        n->gin = n->gout = 0;
        n->sig = n->in > 1 || n->out > 1;
        h->significant_total += n->sig;
    }
    for (size_t i = 0; i < h->nwhole; i++)
        for (int k = 0; k < 4; k++)
            if (h->vn[i][k] != XP_NONE)
                h->nodes[h->vn[i][k]].flows++;
}

static int is_knot(const xp_host *h, uint32_t id)
{
    return id != XP_NONE && h->nodes[id].sig;
}

/* Coverage: flows through a knot.  The profile graphlet: the union of
 * those flows' paths, root included. */
static void coverage(xp_host *h)
{
    uint32_t stamp = ++h->stamp, count = 0;
    h->covered = 0;
    for (size_t i = 0; i < h->nwhole; i++) {
        const uint32_t *vn = h->vn[i];
        if (!is_knot(h, vn[1]) && !is_knot(h, vn[2]) && !is_knot(h, vn[3]))
            continue;
        h->covered++;
        for (int k = 0; k < 4; k++)
            if (vn[k] != XP_NONE && h->nodes[vn[k]].mark != stamp) {
                h->nodes[vn[k]].mark = stamp;
                count++;
            }
    }
    h->profile_nodes = h->covered ? count + 1 : 0;
}

int xp_host_graph(xp_host *h, uint32_t id)
{
    const xp_views *vw = h->vw;
    h->id = id;
    h->v = vw->v + vw->start[id];
    h->n = vw->start[id + 1] - vw->start[id];
    h->nwhole = vw->flows[id];
    h->nnodes = 0;
    h->epoch++;
    h->stamp = 0;
    for (int i = 0; i < 4; i++)
        h->proto_id[i] = XP_NONE;
    for (size_t i = 0; i < h->n; i++)
        if (view_nodes(h, &h->v[i], h->vn[i]) < 0)
            return -1;
    whole_degrees(h);
    h->graphlet_nodes = h->nnodes + 1;
    coverage(h);
    return 0;
}
