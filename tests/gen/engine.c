/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * engine.c -- hosts, the event heap, and the connection state machines.
 *
 * Everything that will produce a packet is an event in one binary heap
 * keyed by (time, insertion number): a process due to fire, or a
 * connection whose next packet is due.  Popping the minimum and emitting
 * exactly one packet keeps the output in time order by construction.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define HOST_BLOCK 1024u
#define CONN_BLOCK 4096u
#define EPH_LO 32768u
#define EPH_HI 60999u
#define EPH_N  (EPH_HI - EPH_LO + 1)

typedef struct ev {
    int64_t  t;
    uint64_t seq;            /* ties leave in insertion order */
    uint32_t id;
    uint8_t  is_proc;
} ev;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "expose-gen: out of memory\n");
        exit(1);
    }
    return q;
}

void gen_init(gen *g, writer *w, int64_t stop)
{
    memset(g, 0, sizeof *g);
    g->w = w;
    g->stop = stop;
    g->last_t = INT64_MIN;
}

void gen_free(gen *g)
{
    for (uint32_t i = 0; i < g->nhosts; i++)
        free(g->hostblk[i / HOST_BLOCK][i % HOST_BLOCK].ports);
    for (uint32_t i = 0; i < (g->nhosts + HOST_BLOCK - 1) / HOST_BLOCK; i++)
        free(g->hostblk[i]);
    for (uint32_t i = 0; i < (g->nconn_slots + CONN_BLOCK - 1) / CONN_BLOCK; i++)
        free(g->connblk[i]);
    free(g->hostblk);
    free(g->connblk);
    free(g->freeconn);
    free(g->procs);
    free(g->heap);
}

/* ----------------------------------------------------------------- heap */

static int ev_less(const ev *a, const ev *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(gen *g, int64_t t, uint32_t id, int is_proc)
{
    if (g->nheap == g->capheap) {
        g->capheap = g->capheap ? g->capheap * 2 : 1024;
        g->heap = xrealloc(g->heap, g->capheap * sizeof *g->heap);
    }
    ev e = { t, g->seq++, id, (uint8_t)is_proc };
    uint32_t i = g->nheap++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!ev_less(&e, &g->heap[parent]))
            break;
        g->heap[i] = g->heap[parent];
        i = parent;
    }
    g->heap[i] = e;
}

static ev heap_pop(gen *g)
{
    ev top = g->heap[0], last = g->heap[--g->nheap];
    uint32_t i = 0, n = g->nheap;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ev_less(&g->heap[c + 1], &g->heap[c]))
            c++;
        if (!ev_less(&g->heap[c], &last))
            break;
        g->heap[i] = g->heap[c];
        i = c;
    }
    if (n)
        g->heap[i] = last;
    return top;
}

/* ---------------------------------------------------------------- hosts */

static host *host_alloc(gen *g)
{
    uint32_t i = g->nhosts++;
    if (i % HOST_BLOCK == 0) {
        g->hostblk = xrealloc(g->hostblk, (i / HOST_BLOCK + 1) * sizeof *g->hostblk);
        g->hostblk[i / HOST_BLOCK] = xrealloc(NULL, HOST_BLOCK * sizeof(host));
    }
    host *h = &g->hostblk[i / HOST_BLOCK][i % HOST_BLOCK];
    memset(h, 0, sizeof *h);
    return h;
}

/* MAC addresses are locally administered and derived from the IP, so a
 * reader of the trace can tell hosts apart at layer 2 as well. */
host *host_v4(gen *g, uint32_t addr)
{
    host *h = host_alloc(g);
    h->ver = 4;
    h->addr[0] = addr >> 24;
    h->addr[1] = addr >> 16;
    h->addr[2] = addr >> 8;
    h->addr[3] = (uint8_t)addr;
    h->mac[0] = 0x02;
    memcpy(h->mac + 2, h->addr, 4);
    h->ttl = (addr & 1) ? 128 : 64;
    h->ipid = (uint16_t)(addr * 2654435761u >> 16);
    return h;
}

host *host_v6(gen *g, const uint8_t addr[16])
{
    host *h = host_alloc(g);
    h->ver = 6;
    memcpy(h->addr, addr, 16);
    h->mac[0] = 0x02;
    h->mac[1] = 0x06;
    memcpy(h->mac + 2, addr + 12, 4);
    h->ttl = 64;
    return h;
}

/* A random ephemeral port the host has not used yet, as the brief asks
 * ("one new port per connection"); when a busy host has used half of the
 * range the bitmap is cleared, like ports becoming free again. */
uint16_t eph_port(host *h, rng *r)
{
    if (!h->ports)
        h->ports = xrealloc(NULL, EPH_N / 32 * sizeof(uint32_t) + 4);
    if (h->nports == 0 || h->nports >= EPH_N / 2) {
        memset(h->ports, 0, EPH_N / 32 * sizeof(uint32_t) + 4);
        h->nports = 0;
    }
    for (;;) {
        uint32_t i = rng_below(r, EPH_N);
        if (h->ports[i / 32] & (1u << (i % 32)))
            continue;
        h->ports[i / 32] |= 1u << (i % 32);
        h->nports++;
        return (uint16_t)(EPH_LO + i);
    }
}

/* ------------------------------------------------------------ processes */

uint32_t proc_add(gen *g, proc_fn fire, rng *r, void *ctx, int64_t first)
{
    if (g->nprocs == g->capprocs) {
        g->capprocs = g->capprocs ? g->capprocs * 2 : 64;
        g->procs = xrealloc(g->procs, g->capprocs * sizeof *g->procs);
    }
    uint32_t id = g->nprocs++;
    proc *p = &g->procs[id];
    memset(p, 0, sizeof *p);
    p->fire = fire;
    p->r = r;
    p->ctx = ctx;
    p->t = first;
    if (first < g->stop)
        heap_push(g, first, id, 1);
    return id;
}

proc *proc_get(gen *g, uint32_t id)
{
    return &g->procs[id];
}

void proc_again(gen *g, proc *p, int64_t gap)
{
    int64_t t = p->t + gap;
    if (t >= g->stop)
        return;
    p->t = t;
    heap_push(g, t, (uint32_t)(p - g->procs), 1);
}

/* ---------------------------------------------------------- connections */

static conn *conn_slot(gen *g, uint32_t i)
{
    return &g->connblk[i / CONN_BLOCK][i % CONN_BLOCK];
}

conn *conn_new(gen *g, conn_kind kind, app a, rng *r, host *cli, uint16_t cport,
               host *srv, uint16_t sport, int64_t start)
{
    uint32_t i;
    if (g->nfree) {
        i = g->freeconn[--g->nfree];
    } else {
        i = g->nconn_slots++;
        if (i % CONN_BLOCK == 0) {
            g->connblk = xrealloc(g->connblk, (i / CONN_BLOCK + 1) * sizeof *g->connblk);
            g->connblk[i / CONN_BLOCK] = xrealloc(NULL, CONN_BLOCK * sizeof(conn));
            g->freeconn = xrealloc(g->freeconn, (i + CONN_BLOCK) * sizeof *g->freeconn);
        }
    }
    conn *c = conn_slot(g, i);
    memset(c, 0, sizeof *c);
    c->id = i;
    c->kind = kind;
    c->app = a;
    c->r = r;
    c->cli = cli;
    c->srv = srv;
    c->cport = cport;
    c->sport = sport;
    c->t = start;
    c->nexch = 1;
    c->rtt = SEC(0.0005);
    c->srv_time = SEC(0.002);
    c->think = 0.05;
    c->cseq = (uint32_t)rng_next(r);
    c->sseq = (uint32_t)rng_next(r);
    c->flowlabel = (uint32_t)rng_next(r) & 0xfffff;
    return c;
}

void conn_start(gen *g, conn *c)
{
    g->conns_started++;
    heap_push(g, c->t, c->id, 0);
}

static void conn_free(gen *g, conn *c)
{
    g->freeconn[g->nfree++] = c->id;
}

/* -------------------------------------------------------- packet output */

/* The single exit for packets: applies the fixtures' time distortions. */
void gen_emit(gen *g, gpkt *p)
{
    if (g->back_by && p->t >= g->back_after)
        p->t -= g->back_by;
    if (g->jitter_every && g->packets % g->jitter_every == (uint64_t)g->jitter_every - 1
        && g->last_t != INT64_MIN)
        p->t = g->last_t - rng_range_ns(&g->jitter_rng, SEC(0.010), SEC(0.300) + 1);
    g->last_t = p->t;
    wire_emit(g->w, p);
    g->packets++;
}

void frame_emit(gen *g, const gpkt *p)
{
    gpkt q = *p;
    gen_emit(g, &q);
}

static gpkt pkt_from(const conn *c, int from_client, uint8_t flags)
{
    gpkt p;
    memset(&p, 0, sizeof p);
    p.t = c->t;
    p.src = from_client ? c->cli : c->srv;
    p.dst = from_client ? c->srv : c->cli;
    p.sport = from_client ? c->cport : c->sport;
    p.dport = from_client ? c->sport : c->cport;
    p.proto = c->kind == CK_UDP ? 17 : 6;
    p.flags = flags;
    p.seq = from_client ? c->cseq : c->sseq;
    p.ack = (flags & TH_ACK) ? (from_client ? c->sseq : c->cseq) : 0;
    p.win = from_client ? 501 : 509;         /* 64240 and 65160 >> 7 */
    p.flowlabel = c->flowlabel;
    p.hbh = c->hbh_all;
    return p;
}

/* ------------------------------------------------------------------ TCP */

enum tcp_state {
    T_SYN, T_SYNACK, T_ACK, T_REQ, T_RESP, T_CACK, T_FIN1, T_FIN2, T_LASTACK
};

#define MSS 1460u

static int64_t gap_after_exchange(conn *c)
{
    if (c->period) {
        int64_t t = c->next_exch;
        c->next_exch += c->period;
        /* skip the idle pauses of a long-running session */
        if (c->pause_every) {
            int64_t ph = (c->next_exch - c->pause_at) % c->pause_every;
            if (ph >= 0 && ph < c->pause_len)
                c->next_exch += c->pause_len - ph;
        }
        return t > c->t ? t : c->t + 50 * NS_PER_US;
    }
    return c->t + rng_exp_ns(c->r, c->think);
}

/* Whether another exchange follows (count and end time permitting), and when. */
static int more_exchanges(conn *c, int64_t *next)
{
    if (c->exch >= c->nexch)
        return 0;
    *next = gap_after_exchange(c);
    return !c->until || *next < c->until;
}

static void tcp_request(gen *g, conn *c)
{
    uint8_t buf[MSS];
    gpkt p = pkt_from(c, 1, TH_PSH | TH_ACK);
    p.paylen = app_request(c, buf, sizeof buf);
    p.payload = buf;
    gen_emit(g, &p);
    c->cseq += p.paylen;
    c->resp_total = app_response_total(c, c->t);
    c->resp_sent = 0;
    c->t += c->rtt + c->srv_time;
    c->state = T_RESP;
    if (!c->resp_total) {            /* nothing to answer: the client just ACKs on */
        c->exch++;
        c->state = T_CACK;
    }
}

static void tcp_response(gen *g, conn *c)
{
    uint8_t buf[MSS];
    uint32_t n = c->resp_total - c->resp_sent;
    if (n > MSS)
        n = MSS;
    gpkt p = pkt_from(c, 0, TH_ACK);
    p.paylen = app_response_bytes(c, c->resp_sent, buf, n);
    p.payload = buf;
    if (c->resp_sent + n == c->resp_total)
        p.flags |= TH_PSH;
    gen_emit(g, &p);
    c->sseq += n;
    c->resp_sent += n;
    if (c->resp_sent < c->resp_total) {
        c->t += 12 * NS_PER_US;                /* back-to-back at 1 Gb/s */
        return;
    }
    c->exch++;
    int64_t next;
    if (c->minimal && more_exchanges(c, &next)) {   /* benches: ACK rides on the next request */
        c->t = next;
        c->state = T_REQ;
        return;
    }
    c->t += 40 * NS_PER_US;
    c->state = T_CACK;
}

static void tcp_client_ack(gen *g, conn *c)
{
    gpkt p = pkt_from(c, 1, TH_ACK);
    gen_emit(g, &p);
    int64_t next;
    if (more_exchanges(c, &next)) {
        c->t = next;
        c->state = T_REQ;
    } else {
        c->t += rng_range_ns(c->r, SEC(0.0002), SEC(0.010));
        c->state = T_FIN1;
    }
}

/* SYN, SYN-ACK, ACK, then request/response exchanges, then FIN-ACK from
 * the client, FIN-ACK from the server and the last ACK. */
static int tcp_step(gen *g, conn *c)
{
    gpkt p;
    switch (c->state) {
    case T_SYN:
        p = pkt_from(c, 1, TH_SYN);
        p.synopt = 1;
        p.win = 64240;
        p.hbh |= c->hbh_first;
        gen_emit(g, &p);
        c->cseq++;
        c->t += c->rtt;
        c->state = T_SYNACK;
        return 1;
    case T_SYNACK:
        p = pkt_from(c, 0, TH_SYN | TH_ACK);
        p.synopt = 1;
        p.win = 65160;
        p.ack = c->cseq;
        gen_emit(g, &p);
        c->sseq++;
        c->t += 20 * NS_PER_US;
        c->state = T_ACK;
        return 1;
    case T_ACK:
        p = pkt_from(c, 1, TH_ACK);
        gen_emit(g, &p);
        c->t += 30 * NS_PER_US;
        c->state = T_REQ;
        return 1;
    case T_REQ:
        tcp_request(g, c);
        return 1;
    case T_RESP:
        tcp_response(g, c);
        return 1;
    case T_CACK:
        tcp_client_ack(g, c);
        return 1;
    case T_FIN1:
        p = pkt_from(c, 1, TH_FIN | TH_ACK);
        gen_emit(g, &p);
        c->cseq++;
        c->t += c->rtt;
        c->state = T_FIN2;
        return 1;
    case T_FIN2:
        p = pkt_from(c, 0, TH_FIN | TH_ACK);
        gen_emit(g, &p);
        c->sseq++;
        c->t += 20 * NS_PER_US;
        c->state = T_LASTACK;
        return 1;
    case T_LASTACK:
        p = pkt_from(c, 1, TH_ACK);
        gen_emit(g, &p);
        return 0;
    }
    return 0;
}

/* ------------------------------------------------------------------ UDP */

/* Request, response after rtt + server time, next exchange after a think
 * gap; one-way flows (syslog) send only the request. */
static int udp_step(gen *g, conn *c)
{
    uint8_t buf[MSS];
    if (c->state == 0) {
        gpkt p = pkt_from(c, 1, 0);
        p.hbh |= c->exch == 0 ? c->hbh_first : 0;
        p.paylen = c->oneway ? app_oneway(c, c->t, buf, sizeof buf)
                             : app_request(c, buf, sizeof buf);
        p.payload = buf;
        gen_emit(g, &p);
        if (c->oneway) {
            c->exch++;
            return more_exchanges(c, &c->t);
        }
        c->resp_total = app_response_total(c, c->t);
        c->t += c->rtt + c->srv_time;
        c->state = 1;
        return 1;
    }
    gpkt p = pkt_from(c, 0, 0);
    p.paylen = app_response_bytes(c, 0, buf, c->resp_total);
    p.payload = buf;
    gen_emit(g, &p);
    c->exch++;
    c->state = 0;
    return more_exchanges(c, &c->t);
}

/* ---------------------------------------------------------- scan probes */

/* A SYN; then nothing (no host), RST-ACK (closed port) or SYN-ACK
 * answered by the scanner's RST (open port, half-open scan). */
static int probe_step(gen *g, conn *c)
{
    gpkt p;
    switch (c->state) {
    case 0:
        p = pkt_from(c, 1, TH_SYN);
        p.win = 1024;
        gen_emit(g, &p);
        c->cseq++;
        c->t += c->rtt;
        c->state = 1;
        return c->reply != PR_NONE;
    case 1:
        if (c->reply == PR_RST) {
            p = pkt_from(c, 0, TH_RST | TH_ACK);
            p.seq = 0;
            p.win = 0;
            gen_emit(g, &p);
            return 0;
        }
        p = pkt_from(c, 0, TH_SYN | TH_ACK);
        p.synopt = 1;
        p.win = 65160;
        gen_emit(g, &p);
        c->sseq++;
        c->t += 20 * NS_PER_US;
        c->state = 2;
        return 1;
    default:
        p = pkt_from(c, 1, TH_RST);
        p.win = 0;
        gen_emit(g, &p);
        return 0;
    }
}

/* ------------------------------------------------------------- main loop */

static int conn_step(gen *g, conn *c)
{
    switch (c->kind) {
    case CK_TCP:   return tcp_step(g, c);
    case CK_UDP:   return udp_step(g, c);
    case CK_PROBE: return probe_step(g, c);
    }
    return 0;
}

int gen_run(gen *g)
{
    while (g->nheap) {
        if (g->max_packets && g->packets >= g->max_packets)
            break;
        ev e = heap_pop(g);
        if (e.is_proc) {
            proc *p = &g->procs[e.id];
            p->t = e.t;
            p->fire(g, p);
            continue;
        }
        conn *c = conn_slot(g, e.id);
        if (conn_step(g, c))
            heap_push(g, c->t, c->id, 0);
        else
            conn_free(g, c);
        if (g->w->error)
            return -1;
    }
    return g->w->error ? -1 : 0;
}
