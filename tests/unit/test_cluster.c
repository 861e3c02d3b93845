/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_cluster.c -- transitive closure and recursive spectral partitioning:
 * two tight groups joined by weak rules come apart; unrelated groups are
 * separate clusters; clusters are numbered strongest first. */
#include "unit.h"

#define W 600

static int cluster_of(const expose_result *r, const char *text)
{
    char b[EXPOSE_ITEM_TEXT_MAX];
    for (uint32_t i = 0; i < r->nitems; i++)
        if (!strcmp(expose_item_text(&r->items[i], b, sizeof b), text))
            return (int)r->items[i].cluster;
    return -1;
}

int main(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 42;
    char s[32];
    /* Group A: six servers always fetched together by 10.9.0.1 (windows SA).
     * Group B: six others fetched together (SB), independent of SA.
     * A bridge: B's first server is also fetched in a few A windows.
     * Group C: an unrelated client pair (its own component). */
    for (int w = 0; w < W; w++) {
        int a = unit_rand(&seed) < 0.25, b = unit_rand(&seed) < 0.25;
        int bridge = a && !b && unit_rand(&seed) < 0.25;
        int c = unit_rand(&seed) < 0.1;
        for (int k = 0; k < 6; k++) {
            if (a) {
                snprintf(s, sizeof s, "10.9.1.%d", k + 1);
                tcp_conn(e, w + 0.01 * k, "10.9.0.1", 20000 + (w * 13 + k) % 30000, s, 80);
            }
        }
        for (int k = 0; k < 6; k++) {
            if (b || (bridge && k == 0)) {
                snprintf(s, sizeof s, "10.9.2.%d", k + 1);
                tcp_conn(e, w + 0.3 + 0.01 * k, "10.9.0.1", 20000 + (w * 17 + k) % 30000, s, 443);
            }
        }
        if (c) {
            tcp_conn(e, w + 0.7, "10.9.3.1", 30000 + w, "10.9.3.2", 22);
            tcp_conn(e, w + 0.71, "10.9.3.1", 31000 + w, "10.9.3.3", 22);
        }
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "%s", expose_engine_error(e));
    if (!r)
        UNIT_DONE();
    int ca = cluster_of(r, "10.9.0.1.* : 10.9.1.1.80");
    int cb = cluster_of(r, "10.9.0.1.* : 10.9.2.2.443");
    int cc = cluster_of(r, "10.9.3.1.* : 10.9.3.2.22");
    CHECK(ca > 0 && cb > 0 && cc > 0, "all groups clustered: %d %d %d", ca, cb, cc);
    CHECK(ca != cb, "spectral partitioning separates A and B (%d)", ca);
    CHECK(cc != ca && cc != cb, "C is its own component");
    for (int k = 2; k <= 6; k++) {
        snprintf(s, sizeof s, "10.9.0.1.* : 10.9.1.%d.80", k);
        CHECK(cluster_of(r, s) == ca, "%s with A", s);
        snprintf(s, sizeof s, "10.9.0.1.* : 10.9.2.%d.443", k);
        CHECK(cluster_of(r, s) == cb, "%s with B", s);
    }
    int bridges = 0;
    for (uint32_t i = 0; i < r->nrules; i++)
        bridges += r->rules[i].bridge;
    CHECK(bridges > 0, "the weak A-B rules are marked as bridges");
    for (uint32_t c = 1; c < r->nclusters; c++)
        CHECK(r->clusters[c - 1].score >= r->clusters[c].score, "strongest first");
    uint32_t total = 0;
    for (uint32_t c = 0; c < r->nclusters; c++) {
        total += r->clusters[c].nrules;
        for (uint32_t i = 1; i < r->clusters[c].nrules; i++)
            CHECK(r->rules[r->clusters[c].rules[i - 1] - 1].score >=
                  r->rules[r->clusters[c].rules[i] - 1].score, "rules by score");
    }
    CHECK(total == r->nrules, "every rule in one cluster");
    CHECK(r->summary.clusters == r->nclusters, "summary");
    expose_result_free(r);
    expose_engine_free(e);
    UNIT_DONE();
}
