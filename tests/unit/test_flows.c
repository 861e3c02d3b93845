/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_flows.c -- orientation, port folding, learned ports, new/present. */
#include "unit.h"

/* A's connections to S:80 from changing ports are one flow, new whenever a
 * SYN is sent; S answering first or not does not change who is client. */
static void test_folding_and_new(void)
{
    expose_engine *e = new_engine();
    uint64_t seed = 1;
    for (int w = 0; w < 100; w++) {
        if (w % 4 == 0)      /* a connection every 4th window */
            tcp_conn(e, w + 0.1, "10.0.0.1", 40000 + w, "10.0.0.9", 80);
        if (w % 4 == 2)      /* mid-connection packets only, no SYN */
            feed(e, w + 0.3, "10.0.0.9", 80, "10.0.0.1", 40000 + w - 2, EXPOSE_TCP, EXPOSE_TH_ACK);
        if (unit_rand(&seed) < 0.3)
            udp_pair(e, w + 0.5, "10.0.0.1", 50000 + w, "10.0.0.53", 53);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "%s", expose_engine_error(e));
    if (!r)
        return;
    CHECK(r->summary.connections > 25, "connections %llu", (unsigned long long)r->summary.connections);
    CHECK(r->summary.flows == 2, "folded into 2 flows, got %llu", (unsigned long long)r->summary.flows);
    CHECK(r->summary.generics == 2, "two generics, got %llu", (unsigned long long)r->summary.generics);
    CHECK(r->summary.nlearned == 0, "no port learned");
    expose_result_free(r);
    expose_engine_free(e);
}

/* An endpoint on a port outside the services list that talks with many
 * peers makes that port well-known (P2P); it is then the server side. */
static void test_learned_port(void)
{
    expose_engine *e = new_engine();
    char peer[32];
    for (int i = 0; i < 40; i++) {
        snprintf(peer, sizeof peer, "10.1.0.%d", 10 + i);
        udp_pair(e, i * 0.7, peer, 30000 + i, "10.1.0.2", 41234);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r && r->summary.nlearned == 1 && r->summary.learned[0] == 41234, "41234 learned");
    CHECK(r && r->summary.flows == 40 && r->summary.generics == 1, "40 flows to one generic");
    expose_result_free(r);
    expose_engine_free(e);

    expose_params p;
    expose_params_default(&p);
    p.learn_ports = 0;
    e = expose_engine_new(&p);
    for (int i = 0; i < 40; i++) {
        snprintf(peer, sizeof peer, "10.1.0.%d", 10 + i);
        udp_pair(e, i * 0.7, peer, 30000 + i, "10.1.0.2", 41234);
    }
    r = expose_engine_mine(e);
    CHECK(r && r->summary.nlearned == 0 && r->summary.generics == 0, "learning off");
    expose_result_free(r);
    expose_engine_free(e);
}

/* With no SYN seen, the well-known side is the server even when it sends
 * first; equal well-known ports keep both (syslog 514 -> 514). */
static void test_orientation(void)
{
    expose_engine *e = new_engine();
    for (int w = 0; w < 20; w++) {
        feed(e, w, "10.2.0.9", 443, "10.2.0.1", 45000, EXPOSE_TCP, EXPOSE_TH_ACK);
        feed(e, w + 0.5, "10.2.0.5", 514, "10.2.0.100", 514, EXPOSE_UDP, 0);
        feed(e, w + 0.6, "10.2.0.6", 514, "10.2.0.100", 514, EXPOSE_UDP, 0);
    }
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "%s", expose_engine_error(e));
    /* the two syslog flows are always together: a present=>present rule */
    CHECK(r && find_rule(r, "10.2.0.5.514 : 10.2.0.100.514", NULL, "10.2.0.6.514 : 10.2.0.100.514", NULL) < 0,
          "present in every window: dropped by the 90%% filter");
    expose_result_free(r);
    expose_engine_free(e);

    e = new_engine();
    uint64_t seed = 7;
    for (int w = 0; w < 60; w++)
        if (unit_rand(&seed) < 0.4) {
            feed(e, w + 0.1, "10.2.0.9", 443, "10.2.0.1", 45000, EXPOSE_TCP, EXPOSE_TH_ACK);
            feed(e, w + 0.5, "10.2.0.5", 514, "10.2.0.100", 514, EXPOSE_UDP, 0);
        }
    r = expose_engine_mine(e);
    CHECK(r && find_rule(r, "10.2.0.1.* : 10.2.0.9.443", "present", "10.2.0.5.514 : 10.2.0.100.514", "present") < 0,
          "no shared address: no rule");
    expose_result_free(r);
    expose_engine_free(e);
}

/* A datagram flow is new after a silent window, present otherwise. */
static void test_datagram_new(void)
{
    expose_engine *e = new_engine();
    /* bursts of 3 consecutive windows, then 2 silent: new once per burst */
    /* with a companion flow of the same pattern, so that a rule shows counts */
    for (int w = 0; w < 50; w++)
        if (w % 5 < 3) {
            udp_pair(e, w + 0.2, "10.3.0.1", 33333, "10.3.0.53", 53);
            udp_pair(e, w + 0.4, "10.3.0.1", 33334, "10.3.0.54", 53);
        }
    expose_result *r = expose_engine_mine(e);
    int i = r ? find_rule(r, "10.3.0.1.* : 10.3.0.53.53", "new", "10.3.0.1.* : 10.3.0.54.53", "new") : -1;
    CHECK(i >= 0, "new=>new rule");
    if (i >= 0) {
        CHECK(r->items[r->rules[i].lhs].windows == 10, "10 bursts: new 10 times, got %u",
              r->items[r->rules[i].lhs].windows);
        CHECK(fabs(r->rules[i].p_lhs - 10.0 / 48) < 1e-12, "P(new) = 10/48 windows: %g", r->rules[i].p_lhs);
    }
    expose_result_free(r);
    expose_engine_free(e);
}

int main(void)
{
    test_folding_and_new();
    test_learned_port();
    test_orientation();
    test_datagram_new();
    UNIT_DONE();
}
