/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cluster.c -- group rules into clusters (§3.1).
 *
 * The rule graph has one node per (entity, activity) and one edge per rule,
 * weighted by its score (both directions of a pair add up).  Its connected
 * components are the transitive closure; each component is then split
 * recursively by the sign of the Fiedler vector (eigenvector of the second
 * smallest eigenvalue of the Laplacian L = D - A), Procedure 2.
 *
 * Recursion stops below 10 nodes or when the part is *tightly connected*:
 *   lambda_2(L) >= 0.5 * (mean weighted degree).
 * Why: lambda_2 (the algebraic connectivity) is at most n/(n-1) times the
 * minimum degree, and reaches that bound for a clique of equal weights
 * (ratio ~1).  Two dense groups held together by weak rules have a small
 * lambda_2 compared with their degrees (ratio -> 0 as the bridge weakens),
 * which is exactly the case the paper wants to cut.  Half way between the
 * two is where we stop splitting.  The eigenpair comes from LAPACK's dsyevr
 * (only the two smallest pairs are computed).
 * Rules whose ends land in different parts are kept, marked as bridges,
 * and listed with the cluster of their left-hand side.
 */
#include "engine.h"

#include "fiedler.h"
#include <stdlib.h>
#include <string.h>

#define TIGHT_RATIO 0.5
#define MIN_SPLIT 10

typedef struct graph {
    uint32_t n;
    uint32_t *node_ent;      /* entity << 1 | activity */
    uint32_t *adj_start;     /* CSR */
    uint32_t *adj_node;
    double   *adj_w;
    uint32_t *part;          /* final part of each node */
    uint32_t nparts;
    uint32_t *local;         /* scratch: node -> index inside current part */
    uint32_t *mark;
    uint32_t *rule_l, *rule_r;
} graph;

static uint32_t node_id(xp_keymap *ids, graph *g, uint32_t ent, int act)
{
    int created;
    uint32_t *id = xp_keymap_put(ids, (uint64_t)ent << 1 | (uint64_t)act, 0, g->n, &created);
    if (!id)
        return XP_NONE;
    if (created)
        g->node_ent[g->n++] = ent << 1 | (uint32_t)act;
    return *id;
}

static int build_graph(xp_mine *m, graph *g)
{
    uint32_t R = m->nrules;
    xp_keymap ids;
    if (xp_keymap_init(&ids, 2 * (size_t)R) < 0)
        return -1;
    g->node_ent = malloc(2 * (size_t)R * sizeof *g->node_ent);
    g->rule_l = malloc(R * sizeof *g->rule_l);
    g->rule_r = malloc(R * sizeof *g->rule_r);
    if (!g->node_ent || !g->rule_l || !g->rule_r)
        goto fail;
    for (uint32_t i = 0; i < R; i++) {
        g->rule_l[i] = node_id(&ids, g, m->rules[i].lhs, m->rules[i].lact);
        g->rule_r[i] = node_id(&ids, g, m->rules[i].rhs, m->rules[i].ract);
        if (g->rule_l[i] == XP_NONE || g->rule_r[i] == XP_NONE)
            goto fail;
    }
    xp_keymap_free(&ids);
    uint32_t n = g->n;
    g->adj_start = calloc((size_t)n + 1, sizeof *g->adj_start);
    g->adj_node = malloc(2 * (size_t)R * sizeof *g->adj_node);
    g->adj_w = malloc(2 * (size_t)R * sizeof *g->adj_w);
    g->part = malloc(n * sizeof *g->part);
    g->local = malloc(n * sizeof *g->local);
    g->mark = calloc(n, sizeof *g->mark);
    if (!g->adj_start || !g->adj_node || !g->adj_w || !g->part || !g->local || !g->mark)
        return -1;
    for (uint32_t i = 0; i < R; i++) {
        g->adj_start[g->rule_l[i] + 1]++;
        g->adj_start[g->rule_r[i] + 1]++;
    }
    for (uint32_t v = 0; v < n; v++)
        g->adj_start[v + 1] += g->adj_start[v];
    uint32_t *fill = calloc(n ? n : 1, sizeof *fill);
    if (!fill)
        return -1;
    for (uint32_t i = 0; i < R; i++) {
        uint32_t l = g->rule_l[i], r = g->rule_r[i];
        uint32_t at = g->adj_start[l] + fill[l]++;
        g->adj_node[at] = r;
        g->adj_w[at] = m->rules[i].score;
        at = g->adj_start[r] + fill[r]++;
        g->adj_node[at] = l;
        g->adj_w[at] = m->rules[i].score;
    }
    free(fill);
    return 0;
fail:
    xp_keymap_free(&ids);
    return -1;
}

static void graph_free(graph *g)
{
    free(g->node_ent);
    free(g->adj_start);
    free(g->adj_node);
    free(g->adj_w);
    free(g->part);
    free(g->local);
    free(g->mark);
    free(g->rule_l);
    free(g->rule_r);
}

static void emit_part(graph *g, const uint32_t *nodes, uint32_t cnt)
{
    for (uint32_t i = 0; i < cnt; i++)
        g->part[nodes[i]] = g->nparts;
    g->nparts++;
}

/* Split `nodes` into its connected pieces (edges inside the set only);
 * returns the number of pieces, with nodes reordered piece by piece and
 * piece sizes in sizes[]. */
static uint32_t pieces(graph *g, uint32_t *nodes, uint32_t cnt, uint32_t *sizes, uint32_t stamp)
{
    uint32_t *order = malloc(cnt * sizeof *order);
    uint32_t np = 0, done = 0;
    if (!order)
        return 1;
    for (uint32_t i = 0; i < cnt; i++)
        g->mark[nodes[i]] = stamp;        /* member of the set, unvisited */
    for (uint32_t i = 0; i < cnt; i++) {
        if (g->mark[nodes[i]] != stamp)
            continue;
        uint32_t start = done;
        order[done++] = nodes[i];
        g->mark[nodes[i]] = stamp + 1;
        for (uint32_t q = start; q < done; q++)
            for (uint32_t a = g->adj_start[order[q]]; a < g->adj_start[order[q] + 1]; a++) {
                uint32_t v = g->adj_node[a];
                if (g->mark[v] == stamp) {
                    g->mark[v] = stamp + 1;
                    order[done++] = v;
                }
            }
        sizes[np++] = done - start;
    }
    memcpy(nodes, order, cnt * sizeof *order);
    free(order);
    return np;
}

/* Fiedler pair of the part's Laplacian.  Returns lambda_2 / mean degree,
 * or -1 when the eigensolver fails. */
static double fiedler(graph *g, const uint32_t *nodes, uint32_t n, double *vec)
{
    uint32_t edges = 0;
    for (uint32_t i = 0; i < n; i++) {
        g->local[nodes[i]] = i;
        edges += g->adj_start[nodes[i] + 1] - g->adj_start[nodes[i]];
    }
    uint32_t *row = malloc(((size_t)n + 1) * sizeof *row);
    uint32_t *col = malloc((edges ? edges : 1) * sizeof *col);
    double *w = malloc((edges ? edges : 1) * sizeof *w), total = 0, lambda2, ratio = -1;
    if (!row || !col || !w)
        goto out;
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        row[i] = at;
        for (uint32_t a = g->adj_start[nodes[i]]; a < g->adj_start[nodes[i] + 1]; a++) {
            uint32_t v = g->adj_node[a];
            if (g->mark[v] != g->mark[nodes[i]])
                continue;                   /* outside this part */
            col[at] = g->local[v];
            w[at++] = g->adj_w[a];
            total += g->adj_w[a];
        }
    }
    row[n] = at;
    xp_sparse_graph sg = { n, row, col, w };
    if (xp_fiedler(&sg, &lambda2, vec) == 0)
        ratio = total > 0 ? lambda2 / (total / n) : 1.0;
out:
    free(row);
    free(col);
    free(w);
    return ratio;
}

static int partition(graph *g, uint32_t *nodes, uint32_t cnt, uint32_t *stamp);

static int split_spectral(graph *g, uint32_t *nodes, uint32_t cnt, uint32_t *stamp)
{
    double *vec = malloc(cnt * sizeof *vec);
    uint32_t *tmp = malloc(cnt * sizeof *tmp);
    int rc = -1;
    if (!vec || !tmp)
        goto out;
    double ratio = fiedler(g, nodes, cnt, vec);
    uint32_t npos = 0;
    for (uint32_t i = 0; i < cnt; i++)
        npos += vec[i] >= 0;
    if (ratio < 0 || ratio >= TIGHT_RATIO || npos == 0 || npos == cnt) {
        emit_part(g, nodes, cnt);
        rc = 0;
        goto out;
    }
    uint32_t p = 0, q = npos;
    for (uint32_t i = 0; i < cnt; i++)
        tmp[vec[i] >= 0 ? p++ : q++] = nodes[i];
    memcpy(nodes, tmp, cnt * sizeof *tmp);
    free(vec);
    free(tmp);
    vec = NULL;
    tmp = NULL;
    rc = partition(g, nodes, npos, stamp);
    if (rc == 0)
        rc = partition(g, nodes + npos, cnt - npos, stamp);
out:
    free(vec);
    free(tmp);
    return rc;
}

static int partition(graph *g, uint32_t *nodes, uint32_t cnt, uint32_t *stamp)
{
    uint32_t *sizes = malloc(cnt * sizeof *sizes);
    if (!sizes)
        return -1;
    *stamp += 2;
    uint32_t np = pieces(g, nodes, cnt, sizes, *stamp);
    int rc = 0;
    if (np > 1) {
        uint32_t off = 0;
        for (uint32_t i = 0; i < np && rc == 0; i++) {
            rc = partition(g, nodes + off, sizes[i], stamp);
            off += sizes[i];
        }
    } else if (cnt < MIN_SPLIT) {
        emit_part(g, nodes, cnt);
    } else {
        /* pieces() left every node marked stamp+1: fiedler() uses that
         * mark to recognise edges inside the part. */
        rc = split_spectral(g, nodes, cnt, stamp);
    }
    free(sizes);
    return rc;
}

typedef struct part_score { uint32_t part; double score; uint32_t first; } part_score;

static int by_score(const void *a, const void *b)
{
    const part_score *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Number the parts strongest first and label every rule. */
static int label_rules(xp_mine *m, graph *g)
{
    part_score *ps = calloc(g->nparts ? g->nparts : 1, sizeof *ps);
    uint32_t *rank = malloc((g->nparts ? g->nparts : 1) * sizeof *rank);
    if (!ps || !rank) {
        free(ps);
        free(rank);
        return -1;
    }
    for (uint32_t p = 0; p < g->nparts; p++) {
        ps[p].part = p;
        ps[p].first = UINT32_MAX;
    }
    for (uint32_t i = 0; i < m->nrules; i++) {
        part_score *s = &ps[g->part[g->rule_l[i]]];
        s->score += m->rules[i].score;
        if (i < s->first)
            s->first = i;
    }
    qsort(ps, g->nparts, sizeof *ps, by_score);
    uint32_t used = 0;
    for (uint32_t p = 0; p < g->nparts; p++)
        rank[ps[p].part] = ps[p].first == UINT32_MAX ? XP_NONE : ++used;
    for (uint32_t i = 0; i < m->nrules; i++) {
        m->rules[i].cluster = rank[g->part[g->rule_l[i]]];
        m->rules[i].rcluster = rank[g->part[g->rule_r[i]]];
        if (m->rules[i].rcluster == XP_NONE)   /* a part reached only by bridges */
            m->rules[i].rcluster = m->rules[i].cluster;
        m->rules[i].bridge = g->part[g->rule_l[i]] != g->part[g->rule_r[i]];
    }
    m->nclusters = used;
    free(ps);
    free(rank);
    return 0;
}

int xp_cluster_rules(xp_mine *m)
{
    graph g;
    memset(&g, 0, sizeof g);
    int rc = -1;
    uint32_t stamp = 0;
    if (m->nrules == 0) {
        m->nclusters = 0;
        return 0;
    }
    if (build_graph(m, &g) < 0)
        goto out;
    uint32_t *all = malloc(g.n * sizeof *all);
    if (!all)
        goto out;
    for (uint32_t i = 0; i < g.n; i++)
        all[i] = i;
    /* The whole graph first falls apart into its connected components
     * (the transitive closure); partition() recurses into each. */
    rc = partition(&g, all, g.n, &stamp);
    free(all);
    if (rc == 0)
        rc = label_rules(m, &g);
out:
    graph_free(&g);
    if (rc < 0)
        xp_fail(m->e, "out of memory while clustering rules");
    return rc;
}
