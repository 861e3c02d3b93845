/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_rules.c -- scoring, both rule templates, support, and the filters of
 * selective bias (shared address, ratio, 90 %, top-K). */
#include "unit.h"

#define W 400

static expose_engine *engine_with(unsigned k, unsigned beta)
{
    expose_params p;
    expose_params_default(&p);
    p.k = k;
    p.beta = beta;
    return expose_engine_new(&p);
}

/* Score = P(XY) ln(P(XY) / (P(X) P(Y))), recomputed from our own counts. */
static void test_score_value(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 11;
    int nx = 0, ny = 0, nxy = 0;
    for (int w = 0; w < W; w++) {
        int x = unit_rand(&seed) < 0.3, y = x ? unit_rand(&seed) < 0.9 : unit_rand(&seed) < 0.15;
        if (x)
            tcp_conn(e, w + 0.1, "10.4.0.1", 40000 + w, "10.4.0.80", 80);
        if (y)
            tcp_conn(e, w + 0.3, "10.4.0.1", 20000 + w, "10.4.0.81", 8080);
        nx += x;
        ny += y;
        nxy += x && y;
    }
    expose_result *r = expose_engine_mine(e);
    int i = find_rule(r, "10.4.0.1.* : 10.4.0.80.80", "new", "10.4.0.1.* : 10.4.0.81.8080", "new");
    CHECK(i >= 0, "X.new => Y.new found");
    if (i >= 0) {
        double nw = (double)r->summary.windows;   /* up to the last active window */
        double px = nx / nw, py = ny / nw, pxy = nxy / nw;
        double want = pxy * log(pxy / (px * py));
        CHECK(fabs(r->rules[i].score - want) < 1e-12, "score %.15g want %.15g", r->rules[i].score, want);
        CHECK(fabs(r->rules[i].p_both - pxy) < 1e-12 && r->rules[i].support == -1, "p_both, no support");
    }
    expose_result_free(r);
    expose_engine_free(e);
}

/* Whenever some client talks to the web server, it first asks DNS:
 * generic with generic, counted only with a common client. */
static void test_generic_generic(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 5;
    char c[32], d[32];
    for (int w = 0; w < W; w++) {
        for (int k = 0; k < 10; k++) {
            if (unit_rand(&seed) >= 0.05)
                continue;
            snprintf(c, sizeof c, "10.5.0.%d", 10 + k);
            udp_pair(e, w + 0.01 * k, c, 30000 + w, "10.5.0.53", 53);
            tcp_conn(e, w + 0.01 * k + 0.005, c, 40000 + w, "10.5.0.80", 80);
        }
        /* synchronized but with disjoint clients: no common client */
        if (w % 7 == 0)
            for (int k = 0; k < 5; k++) {
                snprintf(c, sizeof c, "10.5.1.%d", 10 + k);
                snprintf(d, sizeof d, "10.5.2.%d", 10 + k);
                tcp_conn(e, w + 0.5 + 0.01 * k, c, 40000 + w, "10.5.1.1", 22);
                tcp_conn(e, w + 0.5 + 0.01 * k + 0.001, d, 40000 + w, "10.5.2.1", 25);
            }
    }
    expose_result *r = expose_engine_mine(e);
    int i = find_rule(r, "*.* : 10.5.0.80.80", "new", "*.* : 10.5.0.53.53", NULL);
    CHECK(i >= 0, "web => dns generic rule");
    if (i >= 0)
        CHECK(r->rules[i].support == 10, "support = 10 clients, got %ld", r->rules[i].support);
    CHECK(find_rule(r, "*.* : 10.5.1.1.22", NULL, "*.* : 10.5.2.1.25", NULL) < 0 &&
          find_rule(r, "*.* : 10.5.2.1.25", NULL, "*.* : 10.5.1.1.22", NULL) < 0,
          "no rule between generics without a common client");
    /* a flow never pairs with its own generic */
    CHECK(find_rule(r, "10.5.0.10.* : 10.5.0.80.80", NULL, "*.* : 10.5.0.80.80", NULL) < 0,
          "flow => own generic is excluded");
    expose_result_free(r);
    expose_engine_free(e);
}

/* Whenever a client reaches Sales:80, Sales opens a connection to its DB:
 * flow with generic; support counts clients and beta filters. */
static int backend(unsigned nclients, unsigned beta, long *support)
{
    expose_engine *e = engine_with(5000, beta);
    uint64_t seed = 9;
    char c[32];
    for (int w = 0; w < W; w++)
        if (unit_rand(&seed) < 0.2) {
            snprintf(c, sizeof c, "10.6.0.%d", 10 + (int)(unit_rand(&seed) * nclients));
            tcp_conn(e, w + 0.1, c, 40000 + w, "10.6.0.80", 80);
            tcp_conn(e, w + 0.15, "10.6.0.80", 50000 + w, "10.6.0.5", 5432);
        }
    expose_result *r = expose_engine_mine(e);
    int i = find_rule(r, "*.* : 10.6.0.80.80", "new", "10.6.0.80.* : 10.6.0.5.5432", "new");
    *support = i >= 0 ? r->rules[i].support : -2;
    expose_result_free(r);
    expose_engine_free(e);
    return i >= 0;
}

static void test_backend_and_beta(void)
{
    long s;
    CHECK(backend(8, 3, &s) && s == 8, "8 clients: found with support 8 (got %ld)", s);
    CHECK(!backend(3, 3, &s), "3 clients: support 3 is not above beta 3");
    CHECK(backend(3, 2, &s) && s == 3, "beta 2 lets it through (support %ld)", s);
}

/* present=>present needs 1/3 <= P(X)/P(Y) <= 3; new=>present does not. */
static void test_ratio_filter(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 3;
    for (int w = 0; w < W; w++) {
        int y = unit_rand(&seed) < 0.6;
        int x = y && unit_rand(&seed) < 0.15;
        if (x)
            tcp_conn(e, w + 0.1, "10.7.0.1", 40000 + w, "10.7.0.80", 80);
        if (y)
            feed(e, w + 0.5, "10.7.0.1", 41000, "10.7.0.22", 22, EXPOSE_TCP, EXPOSE_TH_ACK);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(find_rule(r, "10.7.0.1.* : 10.7.0.80.80", "present", "10.7.0.1.* : 10.7.0.22.22", "present") < 0,
          "present=>present with P(X)/P(Y) ~ 0.15 is filtered");
    CHECK(find_rule(r, "10.7.0.1.* : 10.7.0.80.80", "new", "10.7.0.1.* : 10.7.0.22.22", "present") >= 0,
          "new=>present is kept");
    expose_result_free(r);
    expose_engine_free(e);
}

/* Independent flows that share a host give no rule; top-K = 1 gives none. */
static void test_independent_and_topk(void)
{
    for (unsigned k = 5000; k >= 1; k = k == 5000 ? 1 : 0) {
        expose_engine *e = engine_with(k, 3);
        uint64_t seed = 21;
        for (int w = 0; w < 2000; w++) {
            if (unit_rand(&seed) < 0.2)
                tcp_conn(e, w + 0.1, "10.8.0.1", 40000 + w % 20000, "10.8.0.80", 80);
            if (unit_rand(&seed) < 0.25)
                tcp_conn(e, w + 0.4, "10.8.0.1", 20000 + w % 10000, "10.8.0.90", 443);
            if (unit_rand(&seed) < 0.3)
                udp_pair(e, w + 0.7, "10.8.0.1", 30000 + w % 2000, "10.8.0.53", 53);
        }
        expose_result *r = expose_engine_mine(e);
        CHECK(r && r->nrules == 0, "K=%u: independent flows give no rule (%u)", k, r ? r->nrules : 0);
        if (k == 1)
            CHECK(r && r->summary.selected == 1, "K=1 selects one entity");
        expose_result_free(r);
        expose_engine_free(e);
    }
}

static void test_ipv6(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 77;
    char c[64];
    for (int w = 0; w < W; w++)
        for (int k = 0; k < 6; k++)
            if (unit_rand(&seed) < 0.08) {
                snprintf(c, sizeof c, "2001:db8:8::%x", 0x10 + k);
                udp_pair(e, w + 0.01 * k, c, 30000 + w, "2001:db8:8::53", 53);
                tcp_conn(e, w + 0.01 * k + 0.004, c, 40000 + w, "2001:db8:8::80", 80);
            }
    expose_result *r = expose_engine_mine(e);
    CHECK(find_rule(r, "*.* : 2001:db8:8::80.80", "new", "*.* : 2001:db8:8::53.53", NULL) >= 0,
          "IPv6 generic rule");
    expose_result_free(r);
    expose_engine_free(e);
}

int main(void)
{
    test_score_value();
    test_generic_generic();
    test_backend_and_beta();
    test_ratio_filter();
    test_independent_and_topk();
    test_ipv6();
    UNIT_DONE();
}
