/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_ingest.c -- windows, reordering, and the refusals of bad input. */
#include "unit.h"

static void test_too_few_windows(void)
{
    expose_engine *e = new_engine();
    for (int i = 0; i < 30; i++)
        tcp_conn(e, i * 0.02, "10.0.0.1", 40000 + i, "10.0.0.2", 80);
    expose_result *r = expose_engine_mine(e);
    CHECK(r == NULL, "one window must not mine");
    CHECK(strstr(expose_engine_error(e), "too few windows") != NULL, "%s", expose_engine_error(e));
    expose_result_free(r);
    expose_engine_free(e);
}

static void test_no_ip(void)
{
    expose_engine *e = new_engine();
    for (int i = 0; i < 5; i++)
        expose_engine_skip(e, EXPOSE_SKIP_NOT_IP);
    expose_result *r = expose_engine_mine(e);
    CHECK(r == NULL, "non-IP only must not mine");
    CHECK(strstr(expose_engine_error(e), "5 not IP") != NULL, "%s", expose_engine_error(e));
    expose_engine_free(e);

    e = new_engine();
    CHECK(expose_engine_mine(e) == NULL && strstr(expose_engine_error(e), "no packets"),
          "empty: %s", expose_engine_error(e));
    expose_engine_free(e);
}

/* A jump back by more than a window ends the minable part of the trace:
 * what came before is mined, the rest counted, and the reason reported. */
static void test_backwards(void)
{
    expose_engine *e = new_engine();
    for (int i = 0; i < 20; i++) {
        udp_pair(e, i + 0.5, "10.0.0.1", 1000, "10.0.0.2", 53);
        udp_pair(e, i + 0.6, "10.0.0.1", 1001, "10.0.0.3", 53);
    }
    CHECK(feed(e, 19.3, "10.0.0.1", 1000, "10.0.0.2", 53, EXPOSE_UDP, 0) == 0, "0.3 s back is tolerated");
    CHECK(feed(e, 14.0, "10.0.0.1", 1000, "10.0.0.2", 53, EXPOSE_UDP, 0) < 0, "5.6 s back stops ingest");
    CHECK(strstr(expose_engine_error(e), "backwards by 5.601 s at packet 82") != NULL, "%s",
          expose_engine_error(e));
    CHECK(feed(e, 21.0, "10.0.0.1", 1000, "10.0.0.2", 53, EXPOSE_UDP, 0) == 0, "later packets are counted");
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "the prefix is mined: %s", expose_engine_error(e));
    if (r) {
        CHECK(r->summary.windows == 20 && r->summary.ip_packets == 81, "20 windows, 81 packets");
        CHECK(r->summary.untracked == 2, "two packets counted, not mined (%llu)",
              (unsigned long long)r->summary.untracked);
        CHECK(strstr(r->summary.stop_reason, "backwards") != NULL, "reason: %s", r->summary.stop_reason);
        CHECK(fabs(r->summary.covered_until - (T0 + 19.601)) < 1e-6, "covered until the jump");
    }
    expose_result_free(r);
    expose_engine_free(e);
}

static void test_reorder_counted(void)
{
    expose_engine *e = new_engine();
    for (int i = 0; i < 40; i++) {
        udp_pair(e, i + 0.5, "10.0.0.1", 1000, "10.0.0.2", 53);
        if (i % 10 == 0)
            feed(e, i + 0.3, "10.0.0.1", 1000, "10.0.0.2", 53, EXPOSE_UDP, 0);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "mines: %s", expose_engine_error(e));
    if (r) {
        CHECK(r->summary.reordered == 4, "reordered %llu", (unsigned long long)r->summary.reordered);
        CHECK(fabs(r->summary.max_reorder - 0.201) < 1e-6, "max step %g", r->summary.max_reorder);
        CHECK(r->summary.windows == 40, "windows %llu", (unsigned long long)r->summary.windows);
        CHECK(r->summary.packets == 84 && r->summary.ip_packets == 84, "counts");
    }
    expose_result_free(r);
    expose_engine_free(e);
}

static void test_skips_and_protocols(void)
{
    expose_engine *e = new_engine();
    expose_record rec;
    memset(&rec, 0, sizeof rec);
    rec.ts_sec = T0;
    rec.ip_version = 4;
    rec.proto = 47;                       /* GRE */
    CHECK(expose_engine_add(e, &rec) == 0, "GRE is skipped, not an error");
    rec.ip_version = 5;
    CHECK(expose_engine_add(e, &rec) == 0, "bad version skipped");
    rec.ip_version = 4;
    rec.proto = EXPOSE_TCP;
    rec.ts_nsec = 2000000000u;             /* impossible */
    CHECK(expose_engine_add(e, &rec) == 0, "absurd time skipped");
    for (int i = 0; i < 20; i++)
        feed(e, i, "10.0.0.1", 0, "10.0.0.2", 0, EXPOSE_ICMP, 0);
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "ICMP mines: %s", expose_engine_error(e));
    if (r) {
        CHECK(r->summary.skipped[EXPOSE_SKIP_OTHER_PROTO] == 1, "other proto counted");
        CHECK(r->summary.skipped[EXPOSE_SKIP_NOT_IP] == 1, "not IP counted");
        CHECK(r->summary.skipped[EXPOSE_SKIP_MALFORMED] == 1, "malformed counted");
        CHECK(r->summary.flows == 1 && r->summary.generics == 0, "one ICMP flow, no generic");
    }
    expose_result_free(r);
    expose_engine_free(e);
}

static void test_window_size(void)
{
    expose_params p;
    expose_params_default(&p);
    p.window = 0.25;
    expose_engine *e = expose_engine_new(&p);
    for (int i = 0; i < 10; i++)
        feed(e, i * 0.5, "10.0.0.1", 1000, "10.0.0.2", 53, EXPOSE_UDP, 0);
    expose_result *r = expose_engine_mine(e);
    CHECK(r && r->summary.windows == 19, "4.5 s in 0.25 s windows is 19 windows");
    expose_result_free(r);
    /* mining twice gives the same answer */
    r = expose_engine_mine(e);
    CHECK(r && r->summary.windows == 19, "mine again");
    expose_result_free(r);
    expose_engine_free(e);
}

int main(void)
{
    test_too_few_windows();
    test_no_ip();
    test_backwards();
    test_reorder_counted();
    test_skips_and_protocols();
    test_window_size();
    UNIT_DONE();
}
