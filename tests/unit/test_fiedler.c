/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_fiedler.c -- the Lanczos Fiedler solver agrees with LAPACK's dense
 * solver (eigenvalue and the sign split) on planted-partition graphs, and
 * both find the planted cut. */
#include "unit.h"
#include "fiedler.h"

#include <time.h>

typedef struct edges { uint32_t *row, *col; double *w; } edges;

/* Two communities of n/2 nodes: dense inside, a few weak edges between. */
static xp_sparse_graph planted(uint32_t n, uint64_t seed, edges *st)
{
    uint32_t deg = 12, cap = n * deg * 2 + 64, m = 0;
    uint32_t *src = malloc(cap * sizeof *src), *dst = malloc(cap * sizeof *dst);
    double *wt = malloc(cap * sizeof *wt);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < deg / 2; k++) {
            uint32_t half = n / 2, base = i < half ? 0 : half;
            uint32_t j = base + (uint32_t)(unit_rand(&seed) * (i < half ? half : n - half));
            if (j == i)
                continue;
            src[m] = i; dst[m] = j; wt[m++] = 0.5 + unit_rand(&seed);
        }
    for (uint32_t k = 0; k < 8; k++) {
        src[m] = (uint32_t)(unit_rand(&seed) * (n / 2));
        dst[m] = n / 2 + (uint32_t)(unit_rand(&seed) * (n - n / 2));
        wt[m++] = 0.05;
    }
    st->row = calloc(n + 1, sizeof *st->row);
    st->col = malloc(2 * m * sizeof *st->col);
    st->w = malloc(2 * m * sizeof *st->w);
    for (uint32_t e = 0; e < m; e++) {
        st->row[src[e] + 1]++;
        st->row[dst[e] + 1]++;
    }
    for (uint32_t i = 0; i < n; i++)
        st->row[i + 1] += st->row[i];
    uint32_t *fill = calloc(n, sizeof *fill);
    for (uint32_t e = 0; e < m; e++) {
        uint32_t a = st->row[src[e]] + fill[src[e]]++, b = st->row[dst[e]] + fill[dst[e]]++;
        st->col[a] = dst[e]; st->w[a] = wt[e];
        st->col[b] = src[e]; st->w[b] = wt[e];
    }
    free(fill); free(src); free(dst); free(wt);
    xp_sparse_graph g = { n, st->row, st->col, st->w };
    return g;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void compare(uint32_t n, uint64_t seed)
{
    edges st;
    xp_sparse_graph g = planted(n, seed, &st);
    double *vd = malloc(n * sizeof *vd), *vl = malloc(n * sizeof *vl), ld, ll;
    double t0 = seconds();
    CHECK(xp_fiedler_dense(&g, &ld, vd) == 0, "dense n=%u", n);
    double t1 = seconds();
    CHECK(xp_fiedler_lanczos(&g, &ll, vl) == 0, "lanczos n=%u", n);
    double t2 = seconds();
    CHECK(fabs(ld - ll) <= 1e-6 * (1 + fabs(ld)), "n=%u: lambda2 dense %.12g lanczos %.12g", n, ld, ll);
    uint32_t agree = 0, planted_ok = 0;
    for (uint32_t i = 0; i < n; i++) {
        agree += (vd[i] >= 0) == (vl[i] >= 0);
        planted_ok += (vd[i] >= 0) == (vd[0] >= 0) ? (i < n / 2) : (i >= n / 2);
    }
    CHECK(agree == n || agree == 0, "n=%u: same split (agree %u)", n, agree);
    CHECK(planted_ok == n, "n=%u: the planted cut (%u of %u)", n, planted_ok, n);
    printf("n=%u: dense %.3f s, lanczos %.3f s, lambda2 %.6g\n", n, t1 - t0, t2 - t1, ld);
    free(vd); free(vl); free(st.row); free(st.col); free(st.w);
}

int main(void)
{
    compare(60, 1);
    compare(400, 2);
    compare(900, 3);
    UNIT_DONE();
}
