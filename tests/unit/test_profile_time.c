/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_profile_time.c -- profiles over intervals: delayed-accept, aging
 * (at the end of the trace and in a gap), stability, degree series. */
#include "unit.h"

static const expose_profile *profile_of(const expose_result *r, const char *host)
{
    char a[64];
    for (uint32_t i = 0; i < r->nprofiles; i++)
        if (!strcmp(expose_addr_text(r->profiles[i].ip_version, r->profiles[i].host, a, sizeof a),
                    host))
            return &r->profiles[i];
    return NULL;
}

static const expose_profile_node *node_of(const expose_profile *p, int col, uint32_t value)
{
    for (uint32_t i = 0; p && i < p->nsignificant; i++)
        if ((int)p->significant[i].column == col && p->significant[i].value == value)
            return &p->significant[i];
    return NULL;
}

/* n connections from host to port, each to a new server and from a new
 * local port, so that only ports and the protocol become knots. */
static void burst(expose_engine *e, double t, const char *host, int port, int n, int *serial)
{
    char srv[32];
    for (int i = 0; i < n; i++) {
        int s = (*serial)++;
        snprintf(srv, sizeof srv, "172.16.%d.%d", s / 200, 1 + s % 200);
        tcp_conn(e, t + 0.5 * i, host, 20000 + s, srv, port);
    }
}

/* Five 60 s intervals.
 * 10.0.0.10: 80 always (12 connections in the last interval), 443 in
 *            intervals 0-1, 22 in interval 2 only.
 * 10.0.0.20: 25 in 0, 1 and 4 (idle 120 s between), 110 in 0, 1, 3, 4
 *            (idle 60 s), 143 in interval 2 only. */
static expose_result *mine_intervals(double interval, double aging, expose_engine **ep)
{
    expose_params p;
    expose_params_default(&p);
    p.profile_interval = interval;
    p.profile_aging = aging;
    expose_engine *e = expose_engine_new(&p);
    int serial = 0;
    static const int n80[5] = { 3, 3, 3, 3, 12 };
    for (int k = 0; k < 5; k++) {
        double t = 60.0 * k + 1;
        burst(e, t, "10.0.0.10", 80, n80[k], &serial);
        burst(e, t + 10, "10.0.0.10", k < 2 ? 443 : 22, k < 3 ? 2 : 0, &serial);
        burst(e, t + 20, "10.0.0.20", 25, k == 0 || k == 1 || k == 4 ? 2 : 0, &serial);
        burst(e, t + 25, "10.0.0.20", 110, k == 2 ? 0 : 2, &serial);
        burst(e, t + 30, "10.0.0.20", 143, k == 2 ? 2 : 0, &serial);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "mined: %s", expose_engine_error(e));
    *ep = e;
    return r;
}

static void check_client(const expose_result *r, int short_aging)
{
    const expose_profile *p = profile_of(r, "10.0.0.10");
    CHECK(p != NULL, "profiled");
    if (!p)
        return;
    CHECK(p->intervals == 5, "active in 5 intervals, got %u", p->intervals);
    CHECK(p->accepted, "accepted");
    const expose_profile_node *n80 = node_of(p, EXPOSE_COL_DST_PORT, 80);
    const expose_profile_node *n443 = node_of(p, EXPOSE_COL_DST_PORT, 443);
    const expose_profile_node *n22 = node_of(p, EXPOSE_COL_DST_PORT, 22);
    CHECK(n80 && n443 && n22, "80, 443 and 22 are significant over the trace");
    if (!n80 || !n443 || !n22)
        return;
    CHECK(n80->accepted && n80->degree == 24, "80 accepted, degree %u", n80->degree);
    CHECK(!n22->accepted, "22: significant in one interval only, never accepted");
    CHECK(n443->accepted == !short_aging, "443: accepted in interval 1, idle since: %s",
          short_aging ? "aged out" : "kept");
    CHECK(p->accepted_nodes == (short_aging ? 2u : 3u), "accepted nodes %u (80, tcp%s)",
          p->accepted_nodes, short_aging ? "" : ", 443");
    /* S = {tcp,80,443} {tcp,80,443} {tcp,80,22} {tcp,80} {tcp,80} */
    double want = (1 + 2 / 3.0 + 2 / 2.5 + 1) / 4;
    CHECK(fabs(p->stability - want) < 1e-9, "stability %g, want %g", p->stability, want);
    /* 80's degree per interval: 3 3 3 3 12 */
    CHECK(n80->intervals == 5, "series of 5");
    CHECK(n80->deg_median == 3, "median %g", n80->deg_median);
    CHECK(fabs(n80->deg_p90 - 8.4) < 1e-9, "p90 %g", n80->deg_p90);
    CHECK(n80->deg_outliers == 1, "one outlier, got %u", n80->deg_outliers);
    CHECK(n22->intervals == 1 && n22->deg_median == 2, "22: one interval of degree 2");
}

static void check_gap(const expose_result *r, int short_aging)
{
    const expose_profile *p = profile_of(r, "10.0.0.20");
    CHECK(p != NULL, "profiled");
    if (!p)
        return;
    const expose_profile_node *n25 = node_of(p, EXPOSE_COL_DST_PORT, 25);
    const expose_profile_node *n110 = node_of(p, EXPOSE_COL_DST_PORT, 110);
    const expose_profile_node *n143 = node_of(p, EXPOSE_COL_DST_PORT, 143);
    CHECK(n25 && n110 && n143, "25, 110, 143 significant");
    if (!n25 || !n110 || !n143)
        return;
    /* 25 was idle from 120 s to 240 s: aged with N = 120 s, and one
     * significant interval afterwards does not bring it back. */
    CHECK(n25->accepted == !short_aging, "25 %s", short_aging ? "aged in the gap" : "kept");
    CHECK(n110->accepted, "110: a 60 s gap is shorter than aging");
    CHECK(!n143->accepted, "143: one interval");
    CHECK(p->intervals == 5, "intervals %u", p->intervals);
    double want = (1 + 1 / 2.5 + 1 / 2.0 + 2 / 2.5) / 4;
    CHECK(fabs(p->stability - want) < 1e-9, "stability %g, want %g", p->stability, want);
}

/* The same trace cut in one interval of 300 s: a profile, not accepted. */
static void check_short(const expose_result *r)
{
    const expose_profile *p = profile_of(r, "10.0.0.10");
    CHECK(p && !p->accepted && p->accepted_nodes == 0 && p->intervals == 1 && p->stability < 0,
          "one interval: not yet accepted, stability unknown");
    const expose_profile_node *n80 = node_of(p, EXPOSE_COL_DST_PORT, 80);
    CHECK(n80 && !n80->accepted && n80->intervals == 1 && n80->deg_median == 24,
          "80 still significant, degree 24 in the only interval");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    expose_write_json(r, f);
    fclose(f);
    CHECK(strstr(buf, "\"profile_intervals\":1,"), "json: one interval");
    CHECK(strstr(buf, "\"stability\":null,\"intervals\":1,\"accepted\":false"), "json: not accepted");
    free(buf);
}

int main(void)
{
    for (int short_aging = 0; short_aging < 2; short_aging++) {
        expose_engine *e;
        expose_result *r = mine_intervals(60, short_aging ? 120 : 7 * 86400.0, &e);
        if (r) {
            check_client(r, short_aging);
            check_gap(r, short_aging);
        }
        expose_result_free(r);
        expose_engine_free(e);
    }
    expose_engine *e;
    expose_result *r = mine_intervals(300, 7 * 86400.0, &e);
    if (r)
        check_short(r);
    expose_result_free(r);
    expose_engine_free(e);
    UNIT_DONE();
}
