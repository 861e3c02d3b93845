/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * scenarios.c -- the nine small scenarios with known answers, one subnet
 * each, and "all" that runs them together.  SCENARIOS.md is the contract:
 * change a number here, change it there.
 *
 * Every scenario's first packet is at exactly t = 0 (09:00:00.000000), so
 * 1 s windows line up with whole seconds whether a miner counts windows
 * from the epoch or from the first packet; the periodic scenario relies on
 * that to keep each cron burst inside one window.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* -------------------------------------------------- shared building blocks */

static void **ctxs;
static size_t nctxs;

static void ctx_free_all(void)
{
    for (size_t i = 0; i < nctxs; i++)
        free(ctxs[i]);
    free(ctxs);
}

void *scen_ctx(size_t size)
{
    void *p = calloc(1, size);
    void **n = realloc(ctxs, (nctxs + 1) * sizeof *ctxs);
    if (!p || !n) {
        fprintf(stderr, "expose-gen: out of memory\n");
        exit(1);
    }
    if (!ctxs)
        atexit(ctx_free_all);
    ctxs = n;
    ctxs[nctxs++] = p;
    return p;
}

/* A short client connection: handshake, one or two request/response
 * exchanges, close.  Lasts 10-200 ms, always well under 0.5 s. */
conn *web_conn(gen *g, rng *r, host *cli, host *srv, uint16_t port, app a, int64_t t)
{
    conn *c = conn_new(g, CK_TCP, a, r, cli, eph_port(cli, r), srv, port, t);
    c->rtt = rng_range_ns(r, SEC(0.0003), SEC(0.003));
    c->srv_time = rng_range_ns(r, SEC(0.002), SEC(0.040));
    c->nexch = 1 + rng_below(r, 2);
    c->think = 0.030;
    conn_start(g, c);
    return c;
}

/* A DNS query and its answer 1-5 ms later, from a fresh source port.
 * *done is when the answer arrives, so callers can start what follows. */
conn *dns_lookup(gen *g, rng *r, host *cli, host *dns, const char *name,
                 const host *answer, int64_t t, int64_t *done)
{
    conn *c = conn_new(g, CK_UDP, APP_DNS, r, cli, eph_port(cli, r), dns, 53, t);
    c->rtt = rng_range_ns(r, SEC(0.001), SEC(0.005));
    c->srv_time = 0;
    c->dns_id = (uint16_t)rng_next(r);
    c->name = name;
    c->answer = answer;
    conn_start(g, c);
    if (done)
        *done = t + c->rtt;
    return c;
}

/* The first event of a Poisson process: 0 for the scenario's first
 * client (the trace's first packet), a stationary draw for the rest. */
static int64_t first_event(rng *r, uint32_t i, double mean)
{
    return i == 0 ? 0 : rng_exp_ns(r, mean);
}

/* Common state of the small scenarios. */
typedef struct small {
    rng      r;
    int64_t  end;             /* no new activity after this */
    host    *cli[64];
    uint32_t ncli;
    host    *srv[8];
} small;

static small *small_new(uint64_t seed, int stream, int64_t end)
{
    small *s = scen_ctx(sizeof *s);
    rng_seed(&s->r, seed, (uint64_t)stream);
    s->end = end;
    return s;
}

static void add_clients_v4(gen *g, small *s, uint32_t first, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        s->cli[s->ncli++] = host_v4(g, first + i);
}

/* One Poisson process per client; p->host is the client's index.  With
 * zero, the first client's first event is at t = 0. */
static void per_client_procs(gen *g, small *s, proc_fn fire, double mean, uint32_t a,
                             int zero)
{
    for (uint32_t i = 0; i < s->ncli; i++) {
        uint32_t id = proc_add(g, fire, &s->r, s, first_event(&s->r, zero ? i : 1, mean));
        proc *p = proc_get(g, id);
        p->host = i;
        p->mean = mean;
        p->a = a;
    }
}

/* Fire only before the scenario's end; re-arm after a Poisson gap. */
#define POISSON_BEGIN(s, p)  small *s = (p)->ctx; \
    if ((p)->t < s->end) {
#define POISSON_END(g, s, p) } proc_again(g, p, rng_exp_ns(&s->r, (p)->mean));

/* ------------------------------------------------------ 1. dns-web, 8. ipv6 */

static void dnsweb_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        host *c = s->cli[p->host];
        int64_t done;
        conn *q = dns_lookup(g, &s->r, c, s->srv[0], p->a ? "www.v6.example" :
                             "www.dnsweb.example", s->srv[1], p->t, &done);
        int64_t t = done + rng_range_ns(&s->r, SEC(0.020), SEC(0.300));
        conn *w = web_conn(g, &s->r, c, s->srv[1], 80, APP_HTTP, t);
        /* ipv6: odd clients put a hop-by-hop header on the query and SYN */
        if (p->a && (p->host & 1)) {
            q->hbh_first = 1;
            w->hbh_first = 1;
        }
    POISSON_END(g, s, p)
}

int scen_dns_web(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 1, SEC(d - 1.0));
    add_clients_v4(g, s, IP4(10, 1, 0, 10), 20);
    s->srv[0] = host_v4(g, IP4(10, 1, 0, 53));
    s->srv[1] = host_v4(g, IP4(10, 1, 0, 80));
    per_client_procs(g, s, dnsweb_fire, 30.0, 0, 1);
    return 0;
}

static void v6addr(uint8_t a[16], uint16_t last)
{
    static const uint8_t prefix[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x08, 0, 0 };
    memset(a, 0, 16);
    memcpy(a, prefix, 8);
    a[14] = last >> 8;
    a[15] = (uint8_t)last;
}

int scen_ipv6(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 8, SEC(d - 1.0));
    uint8_t a[16];
    for (uint16_t i = 0; i < 10; i++) {
        v6addr(a, 0x10 + i);
        s->cli[s->ncli++] = host_v6(g, a);
    }
    v6addr(a, 0x53);
    s->srv[0] = host_v6(g, a);
    v6addr(a, 0x80);
    s->srv[1] = host_v6(g, a);
    per_client_procs(g, s, dnsweb_fire, 30.0, 1, 1);
    return 0;
}

/* ------------------------------------------------------------ 2. backend */

/* A PostgreSQL session: startup, one query, close; 10-40 ms. */
static void db_conn(gen *g, rng *r, host *app_srv, host *db, int64_t t)
{
    conn *c = conn_new(g, CK_TCP, APP_PGSQL, r, app_srv, eph_port(app_srv, r), db,
                       5432, t);
    c->rtt = rng_range_ns(r, SEC(0.0002), SEC(0.001));
    c->srv_time = rng_range_ns(r, SEC(0.001), SEC(0.010));
    c->nexch = 2;
    c->think = 0.002;
    conn_start(g, c);
}

static void backend_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        web_conn(g, &s->r, s->cli[p->host], s->srv[0], 80, APP_HTTP, p->t);
        db_conn(g, &s->r, s->srv[0], s->srv[1],
                p->t + rng_range_ns(&s->r, SEC(0.005), SEC(0.100)));
    POISSON_END(g, s, p)
}

int scen_backend(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 2, SEC(d - 1.0));
    add_clients_v4(g, s, IP4(10, 2, 0, 10), 30);
    s->srv[0] = host_v4(g, IP4(10, 2, 0, 80));
    s->srv[1] = host_v4(g, IP4(10, 2, 0, 5));
    per_client_procs(g, s, backend_fire, 60.0, 0, 1);
    return 0;
}

/* -------------------------------------------------------- 3. loadbalance */

static void sort3(int64_t t[3])
{
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2 - i; j++)
            if (t[j] > t[j + 1]) {
                int64_t x = t[j];
                t[j] = t[j + 1];
                t[j + 1] = x;
            }
}

/* A page load: three connections within 300 ms to three distinct proxies. */
static void lb_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        uint32_t pick[5] = { 0, 1, 2, 3, 4 };
        for (uint32_t i = 0; i < 3; i++) {               /* partial shuffle */
            uint32_t j = i + rng_below(&s->r, 5 - i), x = pick[i];
            pick[i] = pick[j];
            pick[j] = x;
        }
        int64_t t[3] = { p->t, p->t + rng_range_ns(&s->r, 0, SEC(0.300)),
                         p->t + rng_range_ns(&s->r, 0, SEC(0.300)) };
        sort3(t);
        for (uint32_t i = 0; i < 3; i++)
            web_conn(g, &s->r, s->cli[p->host], s->srv[pick[i]], 3128, APP_PROXY, t[i]);
    POISSON_END(g, s, p)
}

int scen_loadbalance(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 3, SEC(d - 1.0));
    for (uint32_t i = 0; i < 5; i++)
        s->srv[i] = host_v4(g, IP4(10, 3, 0, 1 + i));
    add_clients_v4(g, s, IP4(10, 3, 0, 100), 40);
    per_client_procs(g, s, lb_fire, 60.0, 0, 1);
    return 0;
}

/* ----------------------------------------------------------- 4. periodic */

static void syslog_send(gen *g, small *s, uint32_t i, int64_t t, const char *what)
{
    conn *c = conn_new(g, CK_UDP, APP_SYSLOG, &s->r, s->cli[i], 514, s->srv[0], 514, t);
    c->oneway = 1;
    c->name = what;
    conn_start(g, c);
}

/* cron: every host logs at the same instant (+0-200 ms) once a minute;
 * the instant is 0.3 s past the minute so the burst stays in one window */
static void cron_fire(gen *g, proc *p)
{
    small *s = p->ctx;
    if (p->t < s->end)
        for (uint32_t i = 0; i < s->ncli; i++)
            syslog_send(g, s, i, p->t + rng_range_ns(&s->r, 0, SEC(0.200)),
                        "run-parts /etc/cron.minutely");
    proc_again(g, p, SEC(60));
}

static void syslog_random_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        syslog_send(g, s, p->host, p->t, "logrotate /etc/logrotate.conf");
    POISSON_END(g, s, p)
}

int scen_periodic(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 4, SEC(d - 1.0));
    add_clients_v4(g, s, IP4(10, 4, 0, 1), 6);
    s->srv[0] = host_v4(g, IP4(10, 4, 0, 100));
    per_client_procs(g, s, syslog_random_fire, 120.0, 0, 1);
    proc_add(g, cron_fire, &s->r, s, SEC(0.3));
    return 0;
}

/* -------------------------------------------------------- 5. independent */

static void indep_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        host *c = s->cli[p->host];
        if (p->a == 0) {
            conn *x = web_conn(g, &s->r, c, s->srv[0], 22, APP_SSH, p->t);
            x->nexch = 3;                    /* banners, then two packets */
        } else if (p->a == 1) {
            web_conn(g, &s->r, c, s->srv[1], 443, APP_TLS, p->t);
        } else {
            dns_lookup(g, &s->r, c, s->srv[2], "host.indep.example", s->srv[1], p->t, NULL);
        }
    POISSON_END(g, s, p)
}

int scen_independent(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 5, SEC(d - 1.0));
    add_clients_v4(g, s, IP4(10, 5, 0, 10), 10);
    s->srv[0] = host_v4(g, IP4(10, 5, 0, 20));
    s->srv[1] = host_v4(g, IP4(10, 5, 0, 30));
    s->srv[2] = host_v4(g, IP4(10, 5, 0, 40));
    per_client_procs(g, s, indep_fire, 20.0, 0, 1);
    per_client_procs(g, s, indep_fire, 25.0, 1, 0);
    per_client_procs(g, s, indep_fire, 30.0, 2, 0);
    return 0;
}

/* ---------------------------------------------------------- 6. separated */

static void separated_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        host *c = s->cli[p->host];
        web_conn(g, &s->r, c, s->srv[0], 80, APP_HTTP, p->t);
        web_conn(g, &s->r, c, s->srv[1], 8080, APP_HTTP,
                 p->t + rng_range_ns(&s->r, SEC(3.0), SEC(4.0)));
    POISSON_END(g, s, p)
}

int scen_separated(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 6, SEC(d - 5.0));
    add_clients_v4(g, s, IP4(10, 6, 0, 10), 10);
    s->srv[0] = host_v4(g, IP4(10, 6, 0, 80));
    s->srv[1] = host_v4(g, IP4(10, 6, 0, 90));
    per_client_procs(g, s, separated_fire, 40.0, 0, 1);
    return 0;
}

/* -------------------------------------------------------- 7. longrunning */

#define LR_PAUSE_EVERY SEC(300)
#define LR_PAUSE_AT    SEC(150)
#define LR_PAUSE_LEN   SEC(20)

static int lr_paused(int64_t t)
{
    return t >= LR_PAUSE_AT && (t - LR_PAUSE_AT) % LR_PAUSE_EVERY < LR_PAUSE_LEN;
}

/* The SSH session: a keystroke every 0.3 s and its echo, for the whole
 * trace except a 20 s pause every 300 s (93% of windows: above the 90%
 * cut, yet not 100%, so the cut is what removes its rules). */
static void ssh_session(gen *g, small *s, int64_t end)
{
    conn *c = conn_new(g, CK_TCP, APP_SSH, &s->r, s->cli[0], eph_port(s->cli[0], &s->r),
                       s->srv[0], 22, 0);
    c->rtt = SEC(0.0008);
    c->srv_time = SEC(0.0002);
    c->period = SEC(0.3);
    c->next_exch = SEC(0.3);
    c->pause_every = LR_PAUSE_EVERY;
    c->pause_at = LR_PAUSE_AT;
    c->pause_len = LR_PAUSE_LEN;
    c->nexch = UINT32_MAX;
    c->until = end;
    conn_start(g, c);
}

/* p->a: 0 = web every ~20 s, 1 = HTTPS poll every ~2 s while the user
 * is active (not during the SSH pauses) */
static void lr_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        if (p->a == 0)
            web_conn(g, &s->r, s->cli[0], s->srv[1], 80, APP_HTTP, p->t);
        else if (!lr_paused(p->t))
            web_conn(g, &s->r, s->cli[0], s->srv[2], 443, APP_TLS, p->t);
    POISSON_END(g, s, p)
}

int scen_longrunning(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 7, SEC(d - 1.0));
    add_clients_v4(g, s, IP4(10, 7, 0, 10), 1);
    s->srv[0] = host_v4(g, IP4(10, 7, 0, 22));
    s->srv[1] = host_v4(g, IP4(10, 7, 0, 30));
    s->srv[2] = host_v4(g, IP4(10, 7, 0, 31));
    ssh_session(g, s, SEC(d - 0.5));
    uint32_t id = proc_add(g, lr_fire, &s->r, s, rng_exp_ns(&s->r, 20.0));
    proc_get(g, id)->mean = 20.0;
    id = proc_add(g, lr_fire, &s->r, s, rng_exp_ns(&s->r, 2.0));
    proc_get(g, id)->mean = 2.0;
    proc_get(g, id)->a = 1;
    return 0;
}

/* --------------------------------------------------------------- 9. scan */

typedef struct scan_ctx {
    small   *s;
    host    *target, *scanner;
    host    *live[16];            /* hosts that answer the address scan */
    uint32_t nlive;
    uint16_t order[1024];
    uint8_t  addr_order[254];
    uint16_t sport;
    int64_t  span;
} scan_ctx;

static void shuffle16(rng *r, uint16_t *a, uint32_t n)
{
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = rng_below(r, i + 1);
        uint16_t x = a[i];
        a[i] = a[j];
        a[j] = x;
    }
}

/* Port scan: SYNs to ports 1-1024 of the target in random order, evenly
 * spread over the span; closed ports answer RST, 22 and 80 SYN-ACK. */
static void portscan_fire(gen *g, proc *p)
{
    scan_ctx *k = p->ctx;
    uint32_t i = p->a;
    uint16_t port = k->order[i];
    conn *c = conn_new(g, CK_PROBE, APP_NONE, &k->s->r, k->scanner, k->sport,
                       k->target, port, p->t);
    c->rtt = rng_range_ns(&k->s->r, SEC(0.0002), SEC(0.001));
    c->reply = (port == 22 || port == 80) ? PR_OPEN : PR_RST;
    conn_start(g, c);
    if (++p->a < 1024)
        proc_again(g, p, k->span / 1024);
}

static int scan_is_live(const scan_ctx *k, const host *h)
{
    for (uint32_t i = 0; i < k->nlive; i++)
        if (k->live[i] == h)
            return 1;
    return 0;
}

/* Address scan: one SYN to port 3306 of every other address in the /24. */
static void addrscan_fire(gen *g, proc *p)
{
    scan_ctx *k = p->ctx;
    uint8_t last = k->addr_order[p->a];
    host *h = NULL;
    for (uint32_t i = 0; i < k->nlive; i++)
        if (k->live[i]->addr[3] == last)
            h = k->live[i];
    if (!h)
        h = host_v4(g, IP4(10, 9, 0, last));          /* nobody home */
    conn *c = conn_new(g, CK_PROBE, APP_NONE, &k->s->r, k->scanner, k->sport + 1, h,
                       3306, p->t);
    c->rtt = rng_range_ns(&k->s->r, SEC(0.0002), SEC(0.001));
    c->reply = scan_is_live(k, h) ? PR_RST : PR_NONE;
    conn_start(g, c);
    if (++p->a < 253)
        proc_again(g, p, k->span / 253);
}

static void scanweb_fire(gen *g, proc *p)
{
    POISSON_BEGIN(s, p)
        if (p->a == 0)
            web_conn(g, &s->r, s->cli[p->host], s->srv[0], 80, APP_HTTP, p->t);
        else if (p->host < 3) {
            conn *c = web_conn(g, &s->r, s->cli[p->host], s->srv[1], 22, APP_SSH, p->t);
            c->nexch = 3;
        }
    POISSON_END(g, s, p)
}

static void scan_orders(scan_ctx *k, rng *r)
{
    for (uint32_t i = 0; i < 1024; i++)
        k->order[i] = (uint16_t)(i + 1);
    shuffle16(r, k->order, 1024);
    uint16_t a[253];
    for (uint32_t i = 0, n = 0; i < 254; i++)
        if (i + 1 != 66)
            a[n++] = (uint16_t)(i + 1);
    shuffle16(r, a, 253);
    for (uint32_t i = 0; i < 253; i++)
        k->addr_order[i] = (uint8_t)a[i];
}

int scen_scan(gen *g, const scen_opts *o, double d)
{
    small *s = small_new(o->seed, 9, SEC(d - 1.0));
    scan_ctx *k = scen_ctx(sizeof *k);
    k->s = s;
    add_clients_v4(g, s, IP4(10, 9, 0, 10), 10);
    s->srv[0] = host_v4(g, IP4(10, 9, 0, 80));
    s->srv[1] = k->target = host_v4(g, IP4(10, 9, 0, 5));
    k->scanner = host_v4(g, IP4(10, 9, 0, 66));
    for (uint32_t i = 0; i < s->ncli; i++)
        k->live[k->nlive++] = s->cli[i];
    k->live[k->nlive++] = s->srv[0];
    k->live[k->nlive++] = s->srv[1];
    k->sport = eph_port(k->scanner, &s->r);
    if (k->sport == 60999)
        k->sport--;                              /* the address scan uses sport + 1 */
    scan_orders(k, &s->r);
    per_client_procs(g, s, scanweb_fire, 30.0, 0, 1);
    per_client_procs(g, s, scanweb_fire, 120.0, 1, 0);
    /* the port scan at d/3 over 20 s, the address scan at 2d/3 over 30 s */
    double span = d >= 200 ? 1.0 : d / 200;
    k->span = SEC(20 * span);
    proc_add(g, portscan_fire, &s->r, k, SEC(d / 3));
    scan_ctx *k2 = scen_ctx(sizeof *k2);
    *k2 = *k;
    k2->span = SEC(30 * span);
    proc_add(g, addrscan_fire, &s->r, k2, SEC(2 * d / 3));
    return 0;
}

/* ---------------------------------------------------------------- 10. all */

int scen_all(gen *g, const scen_opts *o, double d)
{
    int (*each[])(gen *, const scen_opts *, double) = {
        scen_dns_web, scen_backend, scen_loadbalance, scen_periodic,
        scen_independent, scen_separated, scen_longrunning, scen_ipv6, scen_scan
    };
    for (size_t i = 0; i < sizeof each / sizeof each[0]; i++)
        if (each[i](g, o, d) != 0)
            return -1;
    return 0;
}
