/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_hostile_core.c -- regressions for bugs the fuzzers found in the core
 * (see fuzz/README.md; the inputs themselves are in tests/hostile/regress).
 *
 *  1. Capture times far apart (one near the +-9e18 ns limit the engine
 *     accepts, one at the other end) overflowed int64_t in the window
 *     arithmetic (UBSan: signed integer overflow in engine.c).
 *  2. LAPACK's dsyevr was given a 2-element W array; its bisection may
 *     store up to n eigenvalues there when eigenvalues repeat (a clique of
 *     equal rules), overwriting the caller's stack: wrong clusters or a
 *     crash (ASan: SEGV in dstebz_).
 */
#include "unit.h"
#include "fiedler.h"

static expose_record rec_at(int64_t sec, uint32_t nsec)
{
    expose_record r;
    memset(&r, 0, sizeof r);
    r.ts_sec = sec;
    r.ts_nsec = nsec;
    r.ip_version = 4;
    r.proto = EXPOSE_UDP;
    r.src[0] = 10; r.src[3] = 1;
    r.dst[0] = 10; r.dst[3] = 2;
    r.src_port = 40000;
    r.dst_port = 53;
    r.length = 60;
    return r;
}

/* A huge step back: refused with a message, no overflow. */
static void test_far_backwards(void)
{
    expose_engine *e = new_engine();
    expose_record a = rec_at(1700000000, 261000000), b = rec_at(-8999999999LL, 850000000);
    CHECK(expose_engine_add(e, &a) == 0, "first packet");
    CHECK(expose_engine_add(e, &b) < 0, "a step back of 3e2 years ends the run");
    CHECK(strstr(expose_engine_error(e), "backwards") != NULL, "%s", expose_engine_error(e));
    expose_engine_free(e);
}

/* From one end of the accepted range to the other: refused, no overflow. */
static void test_span_too_long(void)
{
    expose_params p;
    expose_params_default(&p);
    p.window = 3600;
    expose_engine *e = expose_engine_new(&p);
    expose_record a = rec_at(-8999999999LL, 0), b = rec_at(8999999999LL, 999999999);
    CHECK(expose_engine_add(e, &a) == 0, "first packet");
    CHECK(expose_engine_add(e, &b) < 0, "a trace of 570 years is corrupt");
    CHECK(strstr(expose_engine_error(e), "more than 100 years") != NULL, "%s",
          expose_engine_error(e));
    CHECK(expose_engine_mine(e) == NULL, "a failed run does not mine");
    expose_engine_free(e);

    /* 90 years is still a trace (its windows are sparse). */
    e = expose_engine_new(&p);
    a = rec_at(0, 0);
    b = rec_at(90LL * 365 * 86400, 0);
    CHECK(expose_engine_add(e, &a) == 0 && expose_engine_add(e, &b) == 0, "%s",
          expose_engine_error(e));
    expose_engine_free(e);
}

/* A complete graph with equal weights: lambda_2 = n * w with multiplicity
 * n - 1.  Canaries on both sides of the solver's caller frame catch a
 * solver writing past its arrays. */
static int dense_clique(uint32_t n, double w, double *lambda2)
{
    uint32_t *row = malloc((n + 1) * sizeof *row), *col = malloc((size_t)n * n * sizeof *col);
    double *wt = malloc((size_t)n * n * sizeof *wt), *vec = malloc(n * sizeof *vec);
    uint32_t a = 0;
    for (uint32_t i = 0; i < n; i++) {
        row[i] = a;
        for (uint32_t j = 0; j < n; j++)
            if (j != i) {
                col[a] = j;
                wt[a++] = w;
            }
    }
    row[n] = a;
    xp_sparse_graph g = { n, row, col, wt };
    volatile double canary[64];
    for (int i = 0; i < 64; i++)
        canary[i] = 12345.0;
    int rc = xp_fiedler_dense(&g, lambda2, vec);
    for (int i = 0; i < 64; i++)
        CHECK(canary[i] == 12345.0, "n=%u: canary %d overwritten", n, i);
    double sum = 0, norm = 0;
    for (uint32_t i = 0; i < n; i++) {
        sum += vec[i];
        norm += vec[i] * vec[i];
    }
    if (rc == 0)
        CHECK(fabs(sum) < 1e-6 && fabs(norm - 1) < 1e-6, "n=%u: Fiedler vector sum %g norm %g",
              n, sum, norm);
    free(row);
    free(col);
    free(wt);
    free(vec);
    return rc;
}

static void test_repeated_eigenvalues(void)
{
    for (uint32_t n = 3; n <= 120; n += (n < 20 ? 1 : 13)) {
        double l2 = -1;
        int rc = dense_clique(n, 0.25, &l2);
        CHECK(rc == 0, "n=%u: solver failed", n);
        CHECK(fabs(l2 - 0.25 * n) < 1e-9 * n, "n=%u: lambda2 %g, expected %g", n, l2, 0.25 * n);
    }
}

int main(void)
{
    test_far_backwards();
    test_span_too_long();
    test_repeated_eigenvalues();
    UNIT_DONE();
}
