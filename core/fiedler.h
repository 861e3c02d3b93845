/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fiedler.h -- the Fiedler pair (second smallest eigenvalue of a graph
 * Laplacian and its eigenvector) of one connected, weighted, undirected
 * graph given in compressed sparse rows (internal).
 */
#ifndef EXPOSE_FIEDLER_H
#define EXPOSE_FIEDLER_H

#include <stdint.h>

typedef struct xp_sparse_graph {
    uint32_t n;
    const uint32_t *row;     /* n + 1 offsets into col / w */
    const uint32_t *col;
    const double   *w;       /* edge weights, each undirected edge stored twice */
} xp_sparse_graph;

/* Dense LAPACK (dsyevr, two smallest pairs): exact, O(n^3). */
int xp_fiedler_dense(const xp_sparse_graph *g, double *lambda2, double *vec);

/* Lanczos with full reorthogonalisation in the complement of the constant
 * vector; the small tridiagonal problem is solved by LAPACK's dstev.
 * O(m * edges + m^2 * n) for m <= 160 steps; for large parts. */
int xp_fiedler_lanczos(const xp_sparse_graph *g, double *lambda2, double *vec);

/* Picks one of the two by size. */
int xp_fiedler(const xp_sparse_graph *g, double *lambda2, double *vec);

#define XP_FIEDLER_DENSE_MAX 300   /* measured: Lanczos wins from about 300 nodes */

#endif
