/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fiedler.c -- Fiedler vectors for spectral partitioning.
 *
 * Small parts use LAPACK's dense symmetric solver directly.  A dense solve
 * costs O(n^3) (2.7 s at n = 2000 with Debian's reference BLAS), so large
 * parts (over XP_FIEDLER_DENSE_MAX nodes; test_fiedler prints both timings) use Lanczos: Krylov vectors are kept orthogonal to the constant
 * vector (the Laplacian's null space for a connected graph), which makes
 * the smallest Ritz value converge to lambda_2 itself.  Full
 * reorthogonalisation keeps the basis clean; restarting from the current
 * Ritz vector bounds memory.  The tridiagonal eigenproblem is LAPACK's.
 */
#include "fiedler.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int xp_fiedler_dense(const xp_sparse_graph *g, double *lambda2, double *vec)
{
    uint32_t n = g->n;
    double *L = calloc((size_t)n * n, sizeof *L);
    double *z = malloc((size_t)n * 2 * sizeof *z);
    /* dsyevr's W must hold n values even when only two are asked for:
     * its bisection (dstebz) may store more there before discarding them. */
    double *wv = malloc((size_t)(n > 2 ? n : 2) * sizeof *wv);
    lapack_int found, isuppz[4];
    int rc = -1;
    if (!L || !z || !wv)
        goto out;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t a = g->row[i]; a < g->row[i + 1]; a++) {
            L[(size_t)i * n + g->col[a]] -= g->w[a];
            L[(size_t)i * n + i] += g->w[a];
        }
    if (LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'U', (lapack_int)n, L, (lapack_int)n, 0, 0,
                       1, 2, 0.0, &found, wv, z, 2, isuppz) != 0 || found < 2)
        goto out;
    for (uint32_t i = 0; i < n; i++)
        vec[i] = z[(size_t)i * 2 + 1];
    *lambda2 = wv[1];
    rc = 0;
out:
    free(L);
    free(z);
    free(wv);
    return rc;
}

static void laplacian_times(const xp_sparse_graph *g, const double *x, double *y)
{
    for (uint32_t i = 0; i < g->n; i++) {
        double acc = 0;
        for (uint32_t a = g->row[i]; a < g->row[i + 1]; a++)
            acc += g->w[a] * (x[i] - x[g->col[a]]);
        y[i] = acc;
    }
}

static double dot(const double *a, const double *b, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Remove the mean: project onto the complement of the constant vector. */
static void center(double *x, uint32_t n)
{
    double m = 0;
    for (uint32_t i = 0; i < n; i++)
        m += x[i];
    m /= n;
    for (uint32_t i = 0; i < n; i++)
        x[i] -= m;
}

static double normalize(double *x, uint32_t n)
{
    double s = sqrt(dot(x, x, n));
    if (s > 0)
        for (uint32_t i = 0; i < n; i++)
            x[i] /= s;
    return s;
}

/* One Lanczos run of at most m steps from V[0]; leaves the smallest Ritz
 * pair in (theta, y) and returns the residual norm, or -1 on failure. */
static double lanczos_run(const xp_sparse_graph *g, double *V, uint32_t m, double *theta,
                          double *y)
{
    uint32_t n = g->n, k = 0;
    double *alpha = calloc(m, sizeof *alpha), *beta = calloc(m, sizeof *beta);
    double *w = malloc(n * sizeof *w), *s = malloc((size_t)m * m * sizeof *s);
    double resid = -1;
    if (!alpha || !beta || !w || !s)
        goto out;
    for (k = 0; k < m; k++) {
        double *v = V + (size_t)k * n;
        laplacian_times(g, v, w);
        alpha[k] = dot(w, v, n);
        /* two passes of Gram-Schmidt against the basis and the constants */
        for (int pass = 0; pass < 2; pass++) {
            center(w, n);
            for (uint32_t j = 0; j <= k; j++) {
                double c = dot(w, V + (size_t)j * n, n);
                for (uint32_t i = 0; i < n; i++)
                    w[i] -= c * V[(size_t)j * n + i];
            }
        }
        double b = normalize(w, n);
        if (k + 1 == m || b < 1e-10) {
            beta[k] = b;
            k++;
            break;
        }
        beta[k] = b;
        memcpy(V + (size_t)(k + 1) * n, w, n * sizeof *w);
    }
    /* eigenpairs of the k x k tridiagonal matrix */
    double *d = alpha, *e = beta, last_beta = beta[k - 1];
    if (LAPACKE_dstev(LAPACK_COL_MAJOR, 'V', (lapack_int)k, d, e, s, (lapack_int)k) != 0)
        goto out;
    *theta = d[0];
    memset(y, 0, n * sizeof *y);
    for (uint32_t j = 0; j < k; j++)
        for (uint32_t i = 0; i < n; i++)
            y[i] += s[j] * V[(size_t)j * n + i];     /* first column of s */
    resid = fabs(last_beta * s[k - 1]);
out:
    free(alpha);
    free(beta);
    free(w);
    free(s);
    return resid;
}

int xp_fiedler_lanczos(const xp_sparse_graph *g, double *lambda2, double *vec)
{
    uint32_t n = g->n, m = n - 1 < 160 ? n - 1 : 160;
    double *V = malloc((size_t)(m + 1) * n * sizeof *V), scale = 0;
    if (!V || n < 3) {
        free(V);
        return n < 3 ? xp_fiedler_dense(g, lambda2, vec) : -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        /* a fixed, irregular start so results are reproducible */
        V[i] = sin(1.0 + 12.9898 * i) + 0.5 * cos(0.37 * i);
        for (uint32_t a = g->row[i]; a < g->row[i + 1]; a++)
            scale = g->w[a] > scale ? g->w[a] : scale;
    }
    center(V, n);
    normalize(V, n);
    int rc = -1;
    for (int restart = 0; restart < 8; restart++) {
        double theta, r = lanczos_run(g, V, m, &theta, vec);
        if (r < 0)
            break;
        *lambda2 = theta;
        rc = 0;
        if (r <= 1e-8 * (scale > 0 ? scale : 1) * n)
            break;
        memcpy(V, vec, n * sizeof *V);    /* restart from the Ritz vector */
        center(V, n);
        normalize(V, n);
    }
    free(V);
    return rc;
}

int xp_fiedler(const xp_sparse_graph *g, double *lambda2, double *vec)
{
    if (g->n <= XP_FIEDLER_DENSE_MAX)
        return xp_fiedler_dense(g, lambda2, vec);
    return xp_fiedler_lanczos(g, lambda2, vec);
}
