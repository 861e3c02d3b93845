/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * bench.c -- the two large traces.
 *
 * bench-ingest: --packets N packets (default 10M) of short TCP and UDP
 * sessions among 5000 hosts, tiny payloads, for timing the readers.
 *
 * bench-lab: the paper's LabEnterprise scale (7 h, ~2000 hosts, ~360
 * servers, ~900k five-tuples): many short flows, chatty and long sessions,
 * steady telemetry, and patterns 1-4 of the small scenarios planted on
 * several servers each.  Rates are per second, so --duration 3600 gives a
 * proportionally smaller trace with the same statistics.
 *
 * Both go through the same event heap as the small scenarios, which holds
 * only live connections, so they are written in time order without sorting.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* Server ports for APP_TEXT traffic.  Wireshark tries the lower port of a
 * packet first, so a server port must have a dissector that shows "REQ\n"
 * as harmless text; an undissected one would hand the packet to whatever
 * dissector owns the random client port (TZSP at 37008, EtherCAT at
 * 34980, ...) and produce malformed-packet noise.  These all pass
 * `tshark -Y '_ws.malformed || _ws.expert.severity >= warning'`. */
static const uint16_t tcp_text_ports[] = { 21, 23, 25, 110, 119, 143, 1080, 1883, 2000,
                                           3306, 4000, 5060, 5222, 5900, 6000, 6379,
                                           6667, 8000, 8008, 8081, 8443, 9000, 9100,
                                           11211, 7, 13, 19, 43, 70, 79, 113 };
static const uint16_t udp_text_ports[] = { 7, 13, 19, 11211 };
#define NTEXT_PORTS (sizeof tcp_text_ports / sizeof tcp_text_ports[0])
#define NUDP_PORTS  (sizeof udp_text_ports / sizeof udp_text_ports[0])

/* ------------------------------------------------------------------ zipf */

typedef struct zipf { uint32_t n; double *cdf; } zipf;

static zipf *zipf_new(uint32_t n)
{
    zipf *z = scen_ctx(sizeof *z);
    z->n = n;
    z->cdf = scen_ctx(n * sizeof(double));
    double sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += 1.0 / (i + 1);
    double acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += 1.0 / (i + 1) / sum;
        z->cdf[i] = acc;
    }
    z->cdf[n - 1] = 1.0;
    return z;
}

/* Rank 0 is the most popular. */
static uint32_t zipf_draw(const zipf *z, rng *r)
{
    double u = rng_unit(r);
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (z->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* A host in 10.<net>.0.0/16 numbered from 0: 250 hosts per /24. */
static host *host_numbered(gen *g, uint32_t net, uint32_t third0, uint32_t i)
{
    return host_v4(g, IP4(10, net, third0 + i / 250, 1 + i % 250));
}

/* ----------------------------------------------------------- bench-ingest */

#define BI_HOSTS   5000
#define BI_SERVERS 500

typedef struct ingest {
    rng    r;
    host  *h[BI_HOSTS];
    uint16_t tport[BI_SERVERS], uport[BI_SERVERS];
    zipf  *pop;
    double mean_gap;              /* seconds between connection starts */
} ingest;

/* TCP with 5-35 exchanges (about 47 packets) or UDP with 10-40 exchanges
 * (about 50): on average N/47.6 five-tuples for N packets. */
static void ingest_fire(gen *g, proc *p)
{
    ingest *k = p->ctx;
    rng *r = &k->r;
    host *cli = k->h[BI_SERVERS + rng_below(r, BI_HOSTS - BI_SERVERS)];
    uint32_t s = zipf_draw(k->pop, r);
    int udp = rng_below(r, 5) == 0;
    conn *c = conn_new(g, udp ? CK_UDP : CK_TCP, APP_TEXT, r, cli, eph_port(cli, r),
                       k->h[s], udp ? k->uport[s] : k->tport[s], p->t);
    c->rtt = rng_range_ns(r, SEC(0.0002), SEC(0.002));
    c->srv_time = rng_range_ns(r, SEC(0.0001), SEC(0.001));
    c->nexch = udp ? 10 + rng_below(r, 31) : 5 + rng_below(r, 31);
    c->think = 0.2;
    c->minimal = 1;
    conn_start(g, c);
    proc_again(g, p, rng_exp_ns(r, k->mean_gap));
}

int scen_bench_ingest(gen *g, const scen_opts *o, double d)
{
    ingest *k = scen_ctx(sizeof *k);
    rng_seed(&k->r, o->seed, 11);
    for (uint32_t i = 0; i < BI_HOSTS; i++)
        k->h[i] = host_numbered(g, 200, 0, i);
    for (uint32_t i = 0; i < BI_SERVERS; i++) {
        k->tport[i] = tcp_text_ports[i % NTEXT_PORTS];
        k->uport[i] = udp_text_ports[i % NUDP_PORTS];
    }
    k->pop = zipf_new(BI_SERVERS);
    double conns = o->packets / 47.6;
    k->mean_gap = d / (conns > 1 ? conns : 1);
    g->max_packets = o->packets;
    g->stop = INT64_MAX;            /* keep starting sessions until N packets */
    proc_add(g, ingest_fire, &k->r, k, 0);
    return 0;
}

/* -------------------------------------------------------------- bench-lab */

#define LAB_CLIENTS 1650
#define LAB_DEPTS   8

/* Servers, all in 10.100.1.0/24 except the misc tail in 10.100.2.0/24. */
typedef struct lab {
    rng      r;
    int64_t  end;
    host    *cli[LAB_CLIENTS];
    host    *dns[LAB_DEPTS];         /* .1-.8, one per department */
    host    *dweb[2 * LAB_DEPTS];    /* .10-.25, two per department */
    host    *web[24];                /* .26-.49, shared */
    host    *https[20];              /* .50-.69 */
    host    *app[8], *db[8];         /* .70-.77 :8080 and .80-.87 :5432 */
    host    *proxy[6];               /* .90-.95 :3128 */
    host    *syslog;                 /* .100 */
    host    *login[4];               /* .110-.113 :22 */
    host    *files[20];              /* .120-.139 :9000, chatty sessions */
    host    *collector[4];           /* .140-.143 log shipping, UDP 514 */
    host    *misc[250];              /* 10.100.2.1-250, one TEXT port each */
    zipf    *zweb, *zhttps, *zapp, *zmisc;
} lab;

static host *lab_client(lab *k)
{
    return k->cli[rng_below(&k->r, LAB_CLIENTS)];
}

static uint32_t lab_dept(const lab *k, const host *c)
{
    (void)k;
    return (uint32_t)(c->addr[2] * 250u + c->addr[3]) % LAB_DEPTS;
}

/* Most web and HTTPS connections are preceded by a lookup at the client's
 * department DNS server (pattern 1); 10% hit the resolver cache. */
static int64_t lab_maybe_lookup(gen *g, lab *k, host *c, const host *target, int64_t t)
{
    if (rng_below(&k->r, 10) == 0)
        return t;
    int64_t done;
    dns_lookup(g, &k->r, c, k->dns[lab_dept(k, c)], "srv.lab.example", target, t, &done);
    return done + rng_range_ns(&k->r, SEC(0.010), SEC(0.200));
}

/* p->a selects the activity; every activity is one aggregated Poisson
 * process over all clients, which is the same as one per client. */
enum { LAB_WEB, LAB_HTTPS, LAB_APP, LAB_PROXY, LAB_MISC_TCP, LAB_MISC_UDP, LAB_DNS,
       LAB_SSH, LAB_FILES, LAB_NACT };

static const double lab_rate[LAB_NACT] = {
    4.0,    /* web connections per second */
    3.0,    /* https */
    1.5,    /* app server requests (each also a DB session) */
    0.5,    /* proxy page loads (3 connections each) */
    5.0,    /* misc TCP */
    11.0,   /* misc UDP request/response */
    1.0,    /* background DNS lookups */
    40.0 / 1800,   /* SSH sessions: 40 live on average, 30 min each */
    40.0 / 600     /* file-server sessions: 40 live, 10 min each */
};

static void lab_short(gen *g, lab *k, proc *p)
{
    host *c = lab_client(k), *s;
    int64_t t;
    switch (p->a) {
    case LAB_WEB:
        if (rng_below(&k->r, 10) < 4)
            s = k->dweb[2 * lab_dept(k, c) + rng_below(&k->r, 2)];
        else
            s = k->web[zipf_draw(k->zweb, &k->r)];
        t = lab_maybe_lookup(g, k, c, s, p->t);
        web_conn(g, &k->r, c, s, 80, APP_HTTP, t);
        break;
    case LAB_HTTPS:
        s = k->https[zipf_draw(k->zhttps, &k->r)];
        t = lab_maybe_lookup(g, k, c, s, p->t);
        web_conn(g, &k->r, c, s, 443, APP_TLS, t);
        break;
    case LAB_DNS:
        dns_lookup(g, &k->r, c, k->dns[lab_dept(k, c)], "bg.lab.example",
                   k->web[0], p->t, NULL);
        break;
    }
}

/* Pattern 2: the app server opens a DB session 5-100 ms after each request. */
static void lab_app(gen *g, lab *k, int64_t t)
{
    uint32_t i = zipf_draw(k->zapp, &k->r);
    web_conn(g, &k->r, lab_client(k), k->app[i], 8080, APP_HTTP, t);
    conn *c = conn_new(g, CK_TCP, APP_PGSQL, &k->r, k->app[i], eph_port(k->app[i], &k->r),
                       k->db[i], 5432, t + rng_range_ns(&k->r, SEC(0.005), SEC(0.100)));
    c->nexch = 2;
    c->think = 0.002;
    conn_start(g, c);
}

/* Pattern 3: three connections within 300 ms to three distinct proxies. */
static void lab_proxy(gen *g, lab *k, int64_t t)
{
    host *c = lab_client(k);
    uint32_t pick[6] = { 0, 1, 2, 3, 4, 5 };
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t j = i + rng_below(&k->r, 6 - i), x = pick[i];
        pick[i] = pick[j];
        pick[j] = x;
        int64_t at = i == 0 ? t : t + rng_range_ns(&k->r, SEC(0.010), SEC(0.300));
        web_conn(g, &k->r, c, k->proxy[pick[i]], 3128, APP_PROXY, at);
    }
}

static void lab_misc(gen *g, lab *k, int udp, int64_t t)
{
    host *c = lab_client(k);
    uint32_t i = zipf_draw(k->zmisc, &k->r);
    uint16_t port = udp ? udp_text_ports[i % NUDP_PORTS] : tcp_text_ports[i % NTEXT_PORTS];
    conn *x = conn_new(g, udp ? CK_UDP : CK_TCP, APP_TEXT, &k->r, c, eph_port(c, &k->r),
                       k->misc[i], port, t);
    x->rtt = rng_range_ns(&k->r, SEC(0.0003), SEC(0.003));
    x->srv_time = rng_range_ns(&k->r, SEC(0.0005), SEC(0.010));
    x->nexch = 1 + rng_below(&k->r, 3);
    x->think = 0.05;
    x->minimal = 1;
    conn_start(g, x);
}

/* Long sessions: SSH keystrokes every ~2 s for ~30 min, or a file-server
 * session with a request every ~1.5 s for ~10 min. */
static void lab_session(gen *g, lab *k, int files, int64_t t)
{
    host *c = lab_client(k);
    host *s = files ? k->files[rng_below(&k->r, 20)] : k->login[rng_below(&k->r, 4)];
    conn *x = conn_new(g, CK_TCP, files ? APP_TEXT : APP_SSH, &k->r, c, eph_port(c, &k->r),
                       s, files ? 9000 : 22, t);
    x->rtt = rng_range_ns(&k->r, SEC(0.0003), SEC(0.003));
    x->srv_time = SEC(0.0005);
    x->nexch = UINT32_MAX;
    x->think = files ? 1.5 : 2.0;
    x->minimal = 1;
    x->until = t + rng_exp_ns(&k->r, files ? 600.0 : 1800.0);
    if (x->until > k->end)
        x->until = k->end;              /* the capture ends, the session too */
    conn_start(g, x);
}

static void lab_fire(gen *g, proc *p)
{
    lab *k = p->ctx;
    if (p->t < k->end) {
        switch (p->a) {
        case LAB_APP:      lab_app(g, k, p->t); break;
        case LAB_PROXY:    lab_proxy(g, k, p->t); break;
        case LAB_MISC_TCP: lab_misc(g, k, 0, p->t); break;
        case LAB_MISC_UDP: lab_misc(g, k, 1, p->t); break;
        case LAB_SSH:      lab_session(g, k, 0, p->t); break;
        case LAB_FILES:    lab_session(g, k, 1, p->t); break;
        default:           lab_short(g, k, p); break;
        }
    }
    proc_again(g, p, rng_exp_ns(&k->r, 1.0 / lab_rate[p->a]));
}

/* Pattern 4: 40 workstations log to the syslog server every 120 s at the
 * same instant (+0-200 ms, 0.3 s past the boundary), plus at random. */
static void lab_cron(gen *g, proc *p)
{
    lab *k = p->ctx;
    for (uint32_t i = 0; i < 40 && p->t < k->end; i++) {
        conn *c = conn_new(g, CK_UDP, APP_SYSLOG, &k->r, k->cli[i * 41], 514, k->syslog,
                           514, p->t + rng_range_ns(&k->r, 0, SEC(0.200)));
        c->oneway = 1;
        conn_start(g, c);
    }
    proc_again(g, p, SEC(120));
}

static void lab_syslog_random(gen *g, proc *p)
{
    lab *k = p->ctx;
    if (p->t < k->end) {
        conn *c = conn_new(g, CK_UDP, APP_SYSLOG, &k->r, k->cli[p->host * 41], 514,
                           k->syslog, 514, p->t);
        c->oneway = 1;
        c->name = "logrotate";
        conn_start(g, c);
    }
    proc_again(g, p, rng_exp_ns(&k->r, 900.0));
}

/* Log shipping: 450 one-way UDP flows to four collectors, one datagram
 * every ~3 s for the whole trace: steady, always-busy background. */
static void lab_telemetry(gen *g, lab *k)
{
    for (uint32_t i = 0; i < 450; i++) {
        host *c = k->cli[(i * 7 + 3) % LAB_CLIENTS];
        conn *x = conn_new(g, CK_UDP, APP_SYSLOG, &k->r, c, eph_port(c, &k->r),
                           k->collector[i % 4], 514, rng_exp_ns(&k->r, 3.0));
        x->oneway = 1;
        x->nexch = UINT32_MAX;
        x->think = 3.0;
        x->until = k->end;
        x->name = "metrics load=0.42 mem=61%";
        conn_start(g, x);
    }
}

static void lab_hosts(gen *g, lab *k)
{
    for (uint32_t i = 0; i < LAB_CLIENTS; i++)
        k->cli[i] = host_numbered(g, 100, 16, i);
    for (uint32_t i = 0; i < LAB_DEPTS; i++)
        k->dns[i] = host_v4(g, IP4(10, 100, 1, 1 + i));
    for (uint32_t i = 0; i < 2 * LAB_DEPTS; i++)
        k->dweb[i] = host_v4(g, IP4(10, 100, 1, 10 + i));
    for (uint32_t i = 0; i < 24; i++)
        k->web[i] = host_v4(g, IP4(10, 100, 1, 26 + i));
    for (uint32_t i = 0; i < 20; i++)
        k->https[i] = host_v4(g, IP4(10, 100, 1, 50 + i));
    for (uint32_t i = 0; i < 8; i++) {
        k->app[i] = host_v4(g, IP4(10, 100, 1, 70 + i));
        k->db[i] = host_v4(g, IP4(10, 100, 1, 80 + i));
    }
    for (uint32_t i = 0; i < 6; i++)
        k->proxy[i] = host_v4(g, IP4(10, 100, 1, 90 + i));
    k->syslog = host_v4(g, IP4(10, 100, 1, 100));
    for (uint32_t i = 0; i < 4; i++) {
        k->login[i] = host_v4(g, IP4(10, 100, 1, 110 + i));
        k->collector[i] = host_v4(g, IP4(10, 100, 1, 140 + i));
    }
    for (uint32_t i = 0; i < 20; i++)
        k->files[i] = host_v4(g, IP4(10, 100, 1, 120 + i));
    for (uint32_t i = 0; i < 250; i++)
        k->misc[i] = host_v4(g, IP4(10, 100, 2, 1 + i));
}

int scen_bench_lab(gen *g, const scen_opts *o, double d)
{
    lab *k = scen_ctx(sizeof *k);
    rng_seed(&k->r, o->seed, 12);
    k->end = SEC(d - 1.0);
    lab_hosts(g, k);
    k->zweb = zipf_new(24);
    k->zhttps = zipf_new(20);
    k->zapp = zipf_new(8);
    k->zmisc = zipf_new(250);
    for (uint32_t a = 0; a < LAB_NACT; a++) {
        uint32_t id = proc_add(g, lab_fire, &k->r, k, a == 0 ? 0 : rng_exp_ns(&k->r, 1.0 / lab_rate[a]));
        proc_get(g, id)->a = a;
    }
    /* start with the long sessions already live, as in a real capture */
    for (uint32_t i = 0; i < 40; i++) {
        lab_session(g, k, 0, rng_range_ns(&k->r, SEC(0.001), SEC(2.0)));
        lab_session(g, k, 1, rng_range_ns(&k->r, SEC(0.001), SEC(2.0)));
    }
    lab_telemetry(g, k);
    proc_add(g, lab_cron, &k->r, k, SEC(0.3));
    for (uint32_t i = 0; i < 40; i++)
        proc_get(g, proc_add(g, lab_syslog_random, &k->r, k, rng_exp_ns(&k->r, 900.0)))->host = i;
    return 0;
}
