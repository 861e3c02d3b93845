/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * bench_profiles.c -- speed of the end-host profiles and scan detection at
 * 10,000 hosts and 1,000,000 five-tuples (the target: about a
 * second).
 *
 * Synthesises an hour of traffic among 10,000 hosts in memory: 1000
 * servers on common service ports, 500 P2P hosts on their own high port,
 * the rest clients; every connection is a fresh five-tuple (SYN, SYN-ACK).
 * A few planted scans ride along.  The records go through expose_engine_add
 * as any reader's would; then the bench runs the two mining stages the
 * profiles need (port learning, flows) and times xp_profiles_build and
 * xp_scans_build alone, since a full mine also scores rules.  With --full it
 * also times expose_engine_mine end to end (rules included).
 *
 * usage: bench_profiles [--conns N] [--hosts N] [--interval S] [--hours H]
 *                       [--full] [--seed N]
 */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t below(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time too: other work on the machine inflates wall time. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

typedef struct opts {
    uint32_t conns, hosts;
    double hours;
    int full;
    expose_params p;
} opts;

static void host_addr(uint8_t *a, uint32_t h)
{
    memset(a, 0, 16);
    a[0] = 10;
    a[1] = (uint8_t)(h >> 16);
    a[2] = (uint8_t)(h >> 8);
    a[3] = (uint8_t)h;
}

static void packet(expose_engine *e, double t, uint32_t s, int sp, uint32_t d, int dp, int flags)
{
    expose_record r;
    memset(&r, 0, sizeof r);
    double whole = floor(t);
    r.ts_sec = 1700000000LL + (int64_t)whole;
    r.ts_nsec = (uint32_t)((t - whole) * 1e9);
    r.ip_version = 4;
    r.proto = EXPOSE_TCP;
    r.tcp_flags = (uint8_t)flags;
    r.src_port = (uint16_t)sp;
    r.dst_port = (uint16_t)dp;
    r.length = 60;
    host_addr(r.src, s);
    host_addr(r.dst, d);
    expose_engine_add(e, &r);
}

static void conn(expose_engine *e, double t, uint32_t c, int cp, uint32_t s, int sp)
{
    packet(e, t, c, cp, s, sp, EXPOSE_TH_SYN);
    packet(e, t + 1e-5, s, sp, c, cp, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
}

static const int services[] = { 80, 443, 53, 22, 25, 143, 993, 445, 389, 3306, 5432, 8080 };
#define NSERVICES (sizeof services / sizeof services[0])

/* Connection i of the trace: who talks to whom on which ports. */
static void one(expose_engine *e, const opts *o, uint32_t i, double t)
{
    uint32_t nserv = o->hosts / 10, np2p = o->hosts / 20;
    uint32_t kind = below(100);
    int eph = 1024 + (int)(i % 60000);                  /* distinct five-tuples */
    if (kind < 8) {            /* P2P: a's listening port, both directions */
        uint32_t a = nserv + below(np2p), b = nserv + below(np2p);
        int listen = 20000 + (int)(a % 40000);
        if (i & 1)
            conn(e, t, a, listen, b, eph);
        else
            conn(e, t, b, eph, a, listen);
        return;
    }
    uint32_t c = nserv + np2p + below(o->hosts - nserv - np2p);
    uint32_t s = below(nserv);
    conn(e, t, c, eph, s, services[s % NSERVICES]);
}

/* Five port scans and five address scans among the traffic, squeezed
 * between two connections so that time never goes backwards. */
static void plant_scans(expose_engine *e, const opts *o, double t)
{
    for (uint32_t k = 0; k < 5; k++)
        for (int port = 1; port <= 1000; port++)
            conn(e, t + 1e-7 * (k * 1000 + port), o->hosts - 1 - k, 60000, k, port);
    for (uint32_t k = 0; k < 5; k++)
        for (uint32_t h = 0; h < 200; h++)
            conn(e, t + 5e-4 + 1e-7 * (k * 200 + h), o->hosts - 10 - k, 40000 + (int)h, 100 + h, 445);
}

static expose_engine *synthesise(const opts *o, double *feed)
{
    expose_engine *e = expose_engine_new(&o->p);
    double span = o->hours * 3600, t0 = now();
    for (uint32_t i = 0; i < o->conns; i++) {
        double t = span * i / o->conns;
        one(e, o, i, t);
        if (i == o->conns / 2)
            plant_scans(e, o, t + 1e-4);
    }
    *feed = now() - t0;
    if (*expose_engine_error(e)) {
        fprintf(stderr, "bench_profiles: %s\n", expose_engine_error(e));
        exit(1);
    }
    return e;
}

/* The stages xp_profiles_build relies on, as expose_engine_mine runs them. */
static int prepare(xp_mine *m, expose_engine *e)
{
    memset(m, 0, sizeof *m);
    m->e = e;
    m->p = &e->params;
    m->nwindows = e->cur_w + 1;
    return xp_ports_learn(m) < 0 || xp_flows_build(m) < 0 ? -1 : 0;
}

static void roles(const expose_result *r)
{
    static const char *names[] = { "client", "server", "both", "p2p", "idle" };
    printf("roles:");
    for (int k = 0; k < 5; k++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < r->nprofiles; i++)
            n += !strcmp(r->profiles[i].role, names[k]);
        printf(" %s %u", names[k], n);
    }
    printf("\n");
}

static int stages(expose_engine *e)
{
    xp_mine m;
    double t0 = now(), c0 = cpu();
    if (prepare(&m, e) < 0) {
        fprintf(stderr, "bench_profiles: %s\n", expose_engine_error(e));
        return 1;
    }
    double t1 = now(), c1 = cpu();
    expose_result *r = calloc(1, sizeof *r);
    r->params = e->params;
    int rc = xp_profiles_build(&m, r);
    double t2 = now(), c2 = cpu();
    rc |= xp_scans_build(&m, r);
    double t3 = now(), c3 = cpu();
    if (rc) {
        fprintf(stderr, "bench_profiles: %s\n", expose_engine_error(e));
        return 1;
    }
    printf("five-tuples: %u, addresses: %u, profiles: %u, scans: %u\n", e->ct.count, m.naddrs,
           r->nprofiles, r->nscans);
    roles(r);
    printf("                        wall     cpu\n");
    printf("ports + flows (before): %.3f s  %.3f s\n", t1 - t0, c1 - c0);
    printf("profiles:               %.3f s  %.3f s\n", t2 - t1, c2 - c1);
    printf("scans:                  %.3f s  %.3f s\n", t3 - t2, c3 - c2);
    printf("profiles + scans:       %.3f s  %.3f s\n", t3 - t1, c3 - c1);
    expose_result_free(r);
    xp_mine_free(&m);
    return 0;
}

static int full_mine(expose_engine *e)
{
    expose_result *r = expose_engine_mine(e);
    if (!r) {
        fprintf(stderr, "bench_profiles: %s\n", expose_engine_error(e));
        return 1;
    }
    printf("full expose_engine_mine: %.3f s (%llu rules)\n", r->summary.mine_seconds,
           (unsigned long long)r->summary.rules);
    expose_result_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.conns = 1000000;
    o.hosts = 10000;
    o.hours = 1.0;
    expose_params_default(&o.p);
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(argv[i], "--full"))
            o.full = 1;
        else if (!strcmp(argv[i], "--conns") && ++i)
            o.conns = (uint32_t)atol(v);
        else if (!strcmp(argv[i], "--hosts") && ++i)
            o.hosts = (uint32_t)atol(v);
        else if (!strcmp(argv[i], "--interval") && ++i)
            o.p.profile_interval = atof(v);
        else if (!strcmp(argv[i], "--hours") && ++i)
            o.hours = atof(v);
        else if (!strcmp(argv[i], "--seed") && ++i)
            rng = strtoull(v, NULL, 10) | 1;
    }
    if (o.hosts < 1000)
        o.hosts = 1000;
    double feed;
    expose_engine *e = synthesise(&o, &feed);
    printf("trace: %.1f h, %u hosts, %u connections + 6000 scan probes, interval %g s "
           "(%u intervals); fed in %.2f s\n", o.hours, o.hosts, o.conns, o.p.profile_interval,
           (unsigned)ceil(o.hours * 3600 / o.p.profile_interval), feed);
    int rc = stages(e);
    if (!rc && o.full)
        rc = full_mine(e);
    printf("peak memory: %ld MiB\n", peak_mib());
    expose_engine_free(e);
    return rc;
}
