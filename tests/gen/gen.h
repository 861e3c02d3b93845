/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * gen.h -- shared declarations of expose-gen, the deterministic trace
 * generator that plants communication dependencies with known answers.
 *
 * Design in one paragraph: a scenario registers hosts and "processes"
 * (Poisson or periodic sources of activity).  A process firing creates
 * connections (TCP or UDP exchanges) that start now or later.  Every
 * process and connection sits in one event heap ordered by (time,
 * insertion number); popping a connection emits its next packet and
 * re-queues it.  Packets therefore leave in time order without ever
 * sorting the trace, memory stays proportional to the live connections,
 * and a trace of millions of packets is written at full speed.
 *
 * Determinism: every random draw comes from a per-scenario xoshiro256**
 * stream, times are integer nanoseconds, and the only transcendental
 * function (the logarithm for exponential gaps) is computed with basic
 * IEEE arithmetic, so the same seed gives the same bytes everywhere.
 */
#ifndef EXPOSE_GEN_H
#define EXPOSE_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NS_PER_S  1000000000LL
#define NS_PER_MS 1000000LL
#define NS_PER_US 1000LL
#define SEC(x)    ((int64_t)((x) * 1e9))

/* 2024-03-01 09:00:00 UTC: time zero of every trace. */
#define GEN_EPOCH 1709283600LL

/* ------------------------------------------------------------- random */

typedef struct rng { uint64_t s[4]; } rng;

void     rng_seed(rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(rng *r);
double   rng_unit(rng *r);                        /* [0, 1) */
uint32_t rng_below(rng *r, uint32_t n);           /* [0, n) */
int64_t  rng_range_ns(rng *r, int64_t lo, int64_t hi);   /* [lo, hi) */
int64_t  rng_exp_ns(rng *r, double mean_s);       /* exponential gap */
double   gen_ln(double x);

/* -------------------------------------------------------------- hosts */

typedef struct host {
    uint8_t  ver;          /* 4 or 6 */
    uint8_t  ttl;          /* 64 or 128, like Linux or Windows stacks */
    uint16_t ipid;         /* next IPv4 identification */
    uint8_t  addr[16];     /* network order; IPv4 in the first 4 bytes */
    uint8_t  mac[6];
    uint32_t *ports;       /* bitmap of ephemeral ports in use, lazily made */
    uint32_t nports;
} host;

/* ------------------------------------------------- packets on the wire */

typedef enum app {
    APP_NONE = 0,  /* no payload (scan probes) */
    APP_HTTP,      /* GET / 200 OK with a Content-Length body */
    APP_PROXY,     /* HTTP with an absolute URI, as sent to a proxy */
    APP_DNS,       /* A/AAAA query and answer */
    APP_TLS,       /* TLS 1.2 application-data records */
    APP_SSH,       /* banners, then encrypted-looking SSH packets */
    APP_PGSQL,     /* startup + simple query, PostgreSQL v3 protocol */
    APP_SYSLOG,    /* BSD syslog line, one-way */
    APP_TEXT       /* a few ASCII bytes on an undissected port (benches) */
} app;

/* One IP packet, or one non-IP frame when ethertype != 0. */
typedef struct gpkt {
    int64_t  t;                 /* ns since GEN_EPOCH */
    host    *src, *dst;
    uint16_t sport, dport;
    uint8_t  proto;             /* 6 or 17 */
    uint8_t  flags;             /* TCP flags */
    uint8_t  hbh;               /* IPv6: add a hop-by-hop header */
    uint8_t  synopt;            /* TCP: MSS/WS/SACK options */
    uint32_t seq, ack;
    uint16_t win;
    uint32_t flowlabel;
    const uint8_t *payload;
    uint32_t paylen;
    uint16_t ethertype;         /* non-IP frame: ARP, LLDP */
    const uint8_t *dstmac, *srcmac;
} gpkt;

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08, TH_ACK = 0x10 };

typedef enum linktype {
    LINK_ETHER, LINK_RAW, LINK_SLL, LINK_SLL2, LINK_NULL, LINK_VLAN,
    LINK_USER0               /* 147: only for the badlink fixture */
} linktype;

typedef struct writer {
    FILE    *f;
    int      pcapng, nsec, swapped;
    linktype link;
    uint16_t vlan;
    uint8_t *buf;            /* output buffer: one big fwrite per few MB */
    size_t   used, cap;
    uint64_t packets, bytes;
    int      error;
} writer;

int  writer_open(writer *w, const char *path, int pcapng, int nsec, int swapped,
                 linktype link);
int  writer_close(writer *w);
void writer_record(writer *w, int64_t t_ns, const uint8_t *data, uint32_t len);
/* Frame one packet for w's link type and write it. */
void wire_emit(writer *w, const gpkt *p);

/* ---------------------------------------------------------- the engine */

typedef struct gen gen;
typedef struct proc proc;
typedef void (*proc_fn)(gen *g, proc *p);

/* A source of activity; fire() runs at p->t and usually re-arms itself
 * with proc_again(). */
struct proc {
    proc_fn  fire;
    rng     *r;
    void    *ctx;             /* the scenario's state */
    int64_t  t;               /* this firing */
    double   mean;            /* mean gap, seconds */
    uint32_t host, a;         /* scenario-defined */
};

typedef enum conn_kind { CK_TCP, CK_UDP, CK_PROBE } conn_kind;
typedef enum probe_reply { PR_NONE, PR_RST, PR_OPEN } probe_reply;

/* A TCP connection, a series of UDP exchanges or a scan probe.
 * Emits one packet per call of conn_step. */
typedef struct conn {
    conn_kind kind;
    app      app;
    rng     *r;
    host    *cli, *srv;
    uint16_t cport, sport;
    uint8_t  state, hbh_all, hbh_first, oneway;
    int64_t  t;               /* next packet */
    int64_t  rtt, srv_time;   /* ns; capture point is next to the client */
    double   think;           /* mean gap between exchanges, seconds */
    int64_t  period;          /* >0: exchanges every period ns instead */
    int64_t  next_exch;       /* start of the next exchange (periodic) */
    int64_t  until;           /* >0: no exchange starts at or after this */
    uint32_t nexch, exch;     /* exchanges to do, done */
    uint32_t cseq, sseq;      /* next sequence numbers */
    uint32_t resp_total, resp_sent, body;   /* bytes of this exchange's answer */
    uint32_t flowlabel;
    uint16_t dns_id;
    uint8_t  reply;           /* probe_reply */
    uint8_t  minimal;         /* benches: no separate client ACKs */
    const char *name;         /* DNS name or HTTP path prefix */
    const host *answer;       /* DNS answer */
    /* idle pauses of a long session: no exchange in
     * [k*pause_every + pause_at, ... + pause_len) */
    int64_t  pause_every, pause_at, pause_len;
    uint32_t id;              /* slot, for the free list */
} conn;

struct gen {
    writer  *w;
    host   **hostblk;         /* hosts in stable blocks of 1024 */
    uint32_t nhosts;
    conn   **connblk;         /* connections in stable blocks of 4096 */
    uint32_t nconn_slots, *freeconn, nfree;
    proc    *procs;
    uint32_t nprocs, capprocs;
    struct ev *heap;
    uint32_t nheap, capheap;
    uint64_t seq;
    int64_t  stop;            /* no new activity at or after this time */
    uint64_t max_packets;     /* 0: unlimited */
    uint64_t packets;
    uint64_t conns_started;
    /* output-time distortions for the bad-input fixtures */
    int64_t  back_after, back_by;     /* backwards */
    int      jitter_every;            /* jitter */
    rng      jitter_rng;
    int64_t  last_t;
};

void  gen_init(gen *g, writer *w, int64_t stop);
void  gen_free(gen *g);
int   gen_run(gen *g);        /* 0, or -1 on a write error */

host *host_v4(gen *g, uint32_t addr);              /* addr as 0x0a010050 */
host *host_v6(gen *g, const uint8_t addr[16]);
uint16_t eph_port(host *h, rng *r);                /* 32768..60999, unused */

/* Only during setup: procs live in one array that may move when it grows. */
uint32_t proc_add(gen *g, proc_fn fire, rng *r, void *ctx, int64_t first);
proc    *proc_get(gen *g, uint32_t id);
/* Re-arm p at p->t + gap unless that is past the stop time. */
void     proc_again(gen *g, proc *p, int64_t gap);

conn *conn_new(gen *g, conn_kind kind, app a, rng *r, host *cli, uint16_t cport,
               host *srv, uint16_t sport, int64_t start);
void  conn_start(gen *g, conn *c);
/* Emit a single ready-made frame (ARP, LLDP, raw bytes) at time t. */
void  frame_emit(gen *g, const gpkt *p);
void  gen_emit(gen *g, gpkt *p);

/* --------------------------------------------------------- payloads */

uint32_t app_request(const conn *c, uint8_t *buf, size_t cap);
uint32_t app_response_total(conn *c, int64_t t);
uint32_t app_response_bytes(const conn *c, uint32_t off, uint8_t *buf, uint32_t len);
uint32_t app_oneway(const conn *c, int64_t t, uint8_t *buf, size_t cap);
uint32_t dns_message(uint8_t *buf, size_t cap, uint16_t id, int response,
                     const char *name, const host *answer);

/* -------------------------------------------------------- scenarios */

typedef struct scen_opts {
    uint64_t seed;
    double   duration;        /* <0: scenario default */
    uint64_t packets;         /* bench-ingest */
} scen_opts;

typedef struct scenario {
    const char *name;
    const char *summary;
    double      duration;     /* default seconds */
    int       (*setup)(gen *g, const scen_opts *o, double duration);
    int         nonip;        /* needs a link layer that carries ARP/LLDP */
    int         badlink;      /* written with link type 147 */
} scenario;

const scenario *scenario_find(const char *name);
const scenario *scenario_list(void);

/* small scenarios, one subnet each (scenarios.c) */
int scen_dns_web(gen *g, const scen_opts *o, double d);
int scen_backend(gen *g, const scen_opts *o, double d);
int scen_loadbalance(gen *g, const scen_opts *o, double d);
int scen_periodic(gen *g, const scen_opts *o, double d);
int scen_independent(gen *g, const scen_opts *o, double d);
int scen_separated(gen *g, const scen_opts *o, double d);
int scen_longrunning(gen *g, const scen_opts *o, double d);
int scen_ipv6(gen *g, const scen_opts *o, double d);
int scen_scan(gen *g, const scen_opts *o, double d);
int scen_all(gen *g, const scen_opts *o, double d);
/* benches (bench.c) */
int scen_bench_ingest(gen *g, const scen_opts *o, double d);
int scen_bench_lab(gen *g, const scen_opts *o, double d);
/* bad-input fixtures (fixtures.c) */
int scen_backwards(gen *g, const scen_opts *o, double d);
int scen_jitter(gen *g, const scen_opts *o, double d);
int scen_short(gen *g, const scen_opts *o, double d);
int scen_nonip(gen *g, const scen_opts *o, double d);
int scen_badlink(gen *g, const scen_opts *o, double d);

/* Common building blocks shared by scenarios, fixtures and benches. */
conn *web_conn(gen *g, rng *r, host *cli, host *srv, uint16_t port, app a, int64_t t);
conn *dns_lookup(gen *g, rng *r, host *cli, host *dns, const char *name,
                 const host *answer, int64_t t, int64_t *done);
void *scen_ctx(size_t size);   /* zeroed, freed at exit */

#endif /* EXPOSE_GEN_H */
