/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fixtures.c -- small bad-input captures: timestamps that go backwards,
 * packets slightly out of order, a trace of a single window, a trace
 * without IP, and a link type no reader decodes.  The first three reuse
 * the dns-web traffic (10.1.0.0/24) and distort it at output time.
 */
#include <string.h>

#include "gen.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* dns-web for d seconds; from d/2 on every timestamp is 3600 s earlier. */
int scen_backwards(gen *g, const scen_opts *o, double d)
{
    g->back_after = SEC(d / 2);
    g->back_by = SEC(3600);
    return scen_dns_web(g, o, d);
}

/* dns-web; every 50th packet is 10-300 ms earlier than the one before. */
int scen_jitter(gen *g, const scen_opts *o, double d)
{
    g->jitter_every = 50;
    rng_seed(&g->jitter_rng, o->seed, 1301);
    return scen_dns_web(g, o, d);
}

/* ---------------------------------------------------------------- short */

typedef struct short_ctx {
    rng   r;
    host *cli[5], *dns, *web;
    int64_t span;
} short_ctx;

/* Five clients each do one DNS lookup and one web fetch, all inside the
 * first half second (one 1 s window). */
static void short_fire(gen *g, proc *p)
{
    short_ctx *k = p->ctx;
    int64_t done;
    dns_lookup(g, &k->r, k->cli[p->host], k->dns, "www.dnsweb.example", k->web, p->t, &done);
    conn *c = web_conn(g, &k->r, k->cli[p->host], k->web, 80, APP_HTTP,
                       done + rng_range_ns(&k->r, k->span / 25, k->span / 5));
    c->nexch = 1;
}

int scen_short(gen *g, const scen_opts *o, double d)
{
    short_ctx *k = scen_ctx(sizeof *k);
    rng_seed(&k->r, o->seed, 1303);
    k->span = SEC(d);
    for (uint32_t i = 0; i < 5; i++)
        k->cli[i] = host_v4(g, IP4(10, 1, 0, 10 + i));
    k->dns = host_v4(g, IP4(10, 1, 0, 53));
    k->web = host_v4(g, IP4(10, 1, 0, 80));
    for (uint32_t i = 0; i < 5; i++) {
        int64_t t = i == 0 ? 0 : rng_range_ns(&k->r, 0, k->span / 5);
        proc_get(g, proc_add(g, short_fire, &k->r, k, t))->host = i;
    }
    return 0;
}

/* ---------------------------------------------------------------- nonip */

typedef struct nonip_ctx {
    rng   r;
    host *gw, *hosts[20];
    uint8_t switch_mac[6];
} nonip_ctx;

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t lldp_mcast[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };

static size_t arp_body(uint8_t *b, int op, const host *sender, const host *target)
{
    static const uint8_t hdr[6] = { 0, 1, 0x08, 0, 6, 4 };   /* Ethernet, IPv4 */
    memcpy(b, hdr, 6);
    b[6] = 0;
    b[7] = (uint8_t)op;
    memcpy(b + 8, sender->mac, 6);
    memcpy(b + 14, sender->addr, 4);
    if (op == 1)
        memset(b + 18, 0, 6);
    else
        memcpy(b + 18, target->mac, 6);
    memcpy(b + 24, target->addr, 4);
    return 28;
}

/* p->a == 0: who-has the gateway (broadcast); 0.5-2 ms later the reply,
 * then the next request after a Poisson gap (mean 10 s). */
static void arp_fire(gen *g, proc *p)
{
    nonip_ctx *k = p->ctx;
    host *h = k->hosts[p->host];
    uint8_t body[28];
    gpkt f;
    memset(&f, 0, sizeof f);
    f.t = p->t;
    f.ethertype = 0x0806;
    f.payload = body;
    f.paylen = (uint32_t)arp_body(body, p->a ? 2 : 1, p->a ? k->gw : h, p->a ? h : k->gw);
    f.srcmac = p->a ? k->gw->mac : h->mac;
    f.dstmac = p->a ? h->mac : bcast;
    frame_emit(g, &f);
    p->a = !p->a;
    proc_again(g, p, p->a ? rng_range_ns(&k->r, SEC(0.0005), SEC(0.002))
                          : rng_exp_ns(&k->r, 10.0));
}

static size_t lldp_tlv(uint8_t *b, int type, const void *v, size_t len)
{
    b[0] = (uint8_t)(type << 1 | len >> 8);
    b[1] = (uint8_t)len;
    memcpy(b + 2, v, len);
    return 2 + len;
}

/* An LLDP frame from the switch every 30 s: chassis (MAC), port, TTL,
 * system name, end. */
static void lldp_fire(gen *g, proc *p)
{
    nonip_ctx *k = p->ctx;
    uint8_t b[128], v[16];
    size_t n = 0;
    v[0] = 4;                                  /* chassis id: MAC address */
    memcpy(v + 1, k->switch_mac, 6);
    n += lldp_tlv(b + n, 1, v, 7);
    v[0] = 5;                                  /* port id: interface name */
    memcpy(v + 1, "ge-0/0/7", 8);
    n += lldp_tlv(b + n, 2, v, 9);
    v[0] = 0;
    v[1] = 120;
    n += lldp_tlv(b + n, 3, v, 2);
    n += lldp_tlv(b + n, 5, "sw1.example", 11);
    n += lldp_tlv(b + n, 0, "", 0);
    gpkt f;
    memset(&f, 0, sizeof f);
    f.t = p->t;
    f.ethertype = 0x88cc;
    f.payload = b;
    f.paylen = (uint32_t)n;
    f.srcmac = k->switch_mac;
    f.dstmac = lldp_mcast;
    frame_emit(g, &f);
    proc_again(g, p, SEC(30));
}

int scen_nonip(gen *g, const scen_opts *o, double d)
{
    nonip_ctx *k = scen_ctx(sizeof *k);
    (void)d;
    rng_seed(&k->r, o->seed, 1304);
    static const uint8_t sw[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x07 };
    memcpy(k->switch_mac, sw, 6);
    k->gw = host_v4(g, IP4(10, 13, 0, 1));
    for (uint32_t i = 0; i < 20; i++) {
        k->hosts[i] = host_v4(g, IP4(10, 13, 0, 10 + i));
        proc_get(g, proc_add(g, arp_fire, &k->r, k, rng_exp_ns(&k->r, 10.0)))->host = i;
    }
    proc_add(g, lldp_fire, &k->r, k, 0);
    return 0;
}

/* -------------------------------------------------------------- badlink */

typedef struct bad_ctx { rng r; } bad_ctx;

/* One record a second of 40-100 bytes of noise under link type 147
 * (USER0), which no reader can decode. */
static void bad_fire(gen *g, proc *p)
{
    bad_ctx *k = p->ctx;
    uint8_t b[100];
    uint32_t n = 40 + rng_below(&k->r, 61);
    for (uint32_t i = 0; i < n; i++)
        b[i] = (uint8_t)rng_next(&k->r);
    gpkt f;
    memset(&f, 0, sizeof f);
    f.t = p->t;
    f.ethertype = 0xffff;             /* "not IP": the frame is copied as is */
    f.payload = b;
    f.paylen = n;
    frame_emit(g, &f);
    proc_again(g, p, SEC(1));
}

int scen_badlink(gen *g, const scen_opts *o, double d)
{
    bad_ctx *k = scen_ctx(sizeof *k);
    (void)d;
    rng_seed(&k->r, o->seed, 1305);
    proc_add(g, bad_fire, &k->r, k, 0);
    return 0;
}
