/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * scan.c -- port scans and address scans (PAM'07, "Variability across
 * hosts": a port scan is an unusually large number of destination ports on
 * one destination address, an address scan a large number of destination
 * addresses on one destination port).
 *
 * Only connections the scanner opened count: the side that sent a SYN
 * without ACK, or, when there is no single such side (UDP, ICMP, captures
 * starting mid-connection, simultaneous open), the side that sent the
 * first packet.  Then, per protocol:
 *   port scan     one (scanner, target address) with at least scan_ports
 *                 distinct target ports (TCP and UDP);
 *   address scan  one (scanner, target port) with at least scan_hosts
 *                 distinct target addresses (TCP and UDP; ICMP echo sweeps
 *                 count as port 0 of ICMP).
 * count is the number of distinct ports or addresses, connections the
 * five-tuples behind them, unanswered those in which the target sent
 * nothing (typical of probes to absent hosts), first/last the span of
 * those connections.
 *
 * Only hosts that opened at least min(scan_ports, scan_hosts) connections
 * are examined.  Their probes are written straight into one bucket per
 * scanner; each bucket is sorted by packed keys and walked in order, and
 * the details of a group are only gathered when it qualifies.
 */
#include "profile_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct probe {
    uint32_t target;         /* interned address id */
    uint16_t tport;
    uint8_t  proto;
    uint8_t  answered;
    int64_t  first, last;
} probe;

typedef struct scan_ctx {
    xp_mine *m;
    expose_result *r;
    uint32_t scans_cap;
    uint32_t ncand;
    uint32_t *cand_id;       /* candidate -> interned address id */
    size_t   *start;         /* candidate c: pr[start[c] .. start[c + 1]) */
    probe    *pr;
    size_t   n, max_bucket;
    uint64_t *keys, *ktmp;
    uint32_t *idx, *itmp;
} scan_ctx;

/* Which side opened each connection (its interned id in ids[2c], the
 * other side's in ids[2c + 1]); openings per host in opened[]. */
static uint32_t *count_openers(xp_mine *m, uint32_t **ids_out)
{
    const xp_conntab *ct = &m->e->ct;
    uint32_t *opened = calloc((size_t)m->naddrs + 1, sizeof *opened);
    uint32_t *ids = malloc(((size_t)ct->count + 1) * 2 * sizeof *ids);
    if (!opened || !ids) {
        free(opened);
        free(ids);
        return NULL;
    }
    for (uint32_t i = 0; i < ct->count; i++) {
        uint32_t id[2];
        xp_conn_sides(m, &ct->conns[i], id);
        int o = !xp_conn_a_initiated(&ct->conns[i]);
        ids[2 * (size_t)i] = id[o];
        ids[2 * (size_t)i + 1] = id[!o];
        opened[id[o]]++;
    }
    *ids_out = ids;
    return opened;
}

/* Candidates and their buckets: *cursor_out gets each host's write
 * position, SIZE_MAX for hosts that are no candidate. */
static int buckets(scan_ctx *s, uint32_t *opened, size_t **cursor_out)
{
    const expose_params *p = s->m->p;
    uint32_t need = p->scan_ports < p->scan_hosts ? p->scan_ports : p->scan_hosts;
    uint32_t na = s->m->naddrs;
    for (uint32_t h = 0; h < na; h++)
        s->ncand += opened[h] >= need;
    s->cand_id = malloc(((size_t)s->ncand + 1) * sizeof *s->cand_id);
    s->start = malloc(((size_t)s->ncand + 2) * sizeof *s->start);
    size_t *cursor = malloc(((size_t)na + 1) * sizeof *cursor);
    if (!s->cand_id || !s->start || !cursor) {
        free(cursor);
        return -1;
    }
    uint32_t c = 0;
    for (uint32_t h = 0; h < na; h++) {
        cursor[h] = SIZE_MAX;
        if (opened[h] < need)
            continue;
        s->cand_id[c] = h;
        s->start[c++] = s->n;
        cursor[h] = s->n;
        s->n += opened[h];
        if (opened[h] > s->max_bucket)
            s->max_bucket = opened[h];
    }
    s->start[c] = s->n;
    *cursor_out = cursor;
    return 0;
}

/* The opened connections of the candidates, bucketed by scanner. */
static int collect(scan_ctx *s, uint32_t *opened, const uint32_t *ids)
{
    const xp_conntab *ct = &s->m->e->ct;
    size_t *cursor;
    if (buckets(s, opened, &cursor) < 0)
        return -1;
    s->pr = malloc((s->n + 1) * sizeof *s->pr);
    if (!s->pr) {
        free(cursor);
        return -1;
    }
    for (uint32_t i = 0; i < ct->count; i++) {
        uint32_t scanner = ids[2 * (size_t)i];
        if (cursor[scanner] == SIZE_MAX)
            continue;
        const xp_conn *c = &ct->conns[i];
        int o = !xp_conn_a_initiated(c);      /* 0: a opened it */
        probe *q = &s->pr[cursor[scanner]++];
        q->target = ids[2 * (size_t)i + 1];
        q->tport = xp_has_ports(c->proto) ? (o ? c->pa : c->pb) : 0;
        q->proto = c->proto;
        q->answered = (o ? c->packets_a : c->packets_b) > 0;
        q->first = c->first_ns;
        q->last = c->last_ns;
    }
    free(cursor);
    return 0;
}

static int alloc_sort(scan_ctx *s)
{
    size_t n = s->max_bucket + 1;
    s->keys = malloc(n * sizeof *s->keys);
    s->ktmp = malloc(n * sizeof *s->ktmp);
    s->idx = malloc(n * sizeof *s->idx);
    s->itmp = malloc(n * sizeof *s->itmp);
    return s->keys && s->ktmp && s->idx && s->itmp ? 0 : -1;
}

static uint32_t proto_bits(uint8_t proto)
{
    switch (proto) {
    case EXPOSE_TCP: return 0;
    case EXPOSE_UDP: return 1;
    case EXPOSE_ICMP: return 2;
    default: return 3;
    }
}

/* A qualifying group: keys[i..j) of scanner c, payload idx -> its probes. */
static int emit(scan_ctx *s, int kind, uint32_t c, size_t i, size_t j, uint32_t count)
{
    expose_result *r = s->r;
    if (xp_reserve((void **)&r->scans, &s->scans_cap, r->nscans + 1, sizeof *r->scans) < 0)
        return -1;
    const probe *b = s->pr + s->start[c], *q0 = &b[s->idx[i]];
    expose_scan *o = &r->scans[r->nscans++];
    memset(o, 0, sizeof *o);
    const xp_addr *a = &s->m->addrs[s->cand_id[c]];
    o->kind = kind;
    o->ip_version = a->ipver;
    memcpy(o->host, a->bytes, 16);
    if (kind == EXPOSE_SCAN_PORT)
        memcpy(o->target, s->m->addrs[q0->target].bytes, 16);
    else
        o->port = q0->tport;
    o->proto = q0->proto;
    o->count = count;
    o->connections = (uint32_t)(j - i);
    int64_t first = q0->first, last = q0->last;
    for (size_t k = i; k < j; k++) {
        const probe *q = &b[s->idx[k]];
        o->unanswered += !q->answered;
        first = q->first < first ? q->first : first;
        last = q->last > last ? q->last : last;
    }
    o->first = (double)first / 1e9;
    o->last = (double)last / 1e9;
    return 0;
}

/* One scanner's bucket, one kind: sort its keys, count distinct low parts
 * (below `shift`) in each run of equal high parts. */
static int scanner_scans(scan_ctx *s, int kind, uint32_t c, unsigned tb)
{
    const probe *b = s->pr + s->start[c];
    size_t n = s->start[c + 1] - s->start[c];
    unsigned shift = kind == EXPOSE_SCAN_PORT ? 16 : tb;
    uint32_t need = kind == EXPOSE_SCAN_PORT ? s->m->p->scan_ports : s->m->p->scan_hosts;
    for (size_t i = 0; i < n; i++) {
        uint64_t pk = (uint64_t)proto_bits(b[i].proto) << 16 | b[i].tport;
        s->keys[i] = kind == EXPOSE_SCAN_PORT ? (uint64_t)b[i].target << 18 | pk
                                              : pk << tb | b[i].target;
        s->idx[i] = (uint32_t)i;
    }
    xp_sort_u64_idx(s->keys, s->idx, s->ktmp, s->itmp, n, tb + 18);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        uint32_t count = 1;
        for (; j < n && s->keys[j] >> shift == s->keys[i] >> shift; j++)
            count += s->keys[j] != s->keys[j - 1];
        if (count >= need && emit(s, kind, c, i, j, count) < 0)
            return -1;
        i = j;
    }
    return 0;
}

static int find(scan_ctx *s)
{
    unsigned tb = xp_bits_for(s->m->naddrs);
    for (uint32_t c = 0; c < s->ncand; c++)
        if (scanner_scans(s, EXPOSE_SCAN_PORT, c, tb) < 0 ||
            scanner_scans(s, EXPOSE_SCAN_ADDRESS, c, tb) < 0)
            return -1;
    return 0;
}

static int scan_order(const void *a, const void *b)
{
    const expose_scan *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind == EXPOSE_SCAN_PORT ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = memcmp(x->host, y->host, 16);
    if (c)
        return c;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->kind == EXPOSE_SCAN_PORT ? memcmp(x->target, y->target, 16)
                                       : (int)x->port - (int)y->port;
}

static void free_ctx(scan_ctx *s)
{
    free(s->cand_id);
    free(s->start);
    free(s->pr);
    free(s->keys);
    free(s->ktmp);
    free(s->idx);
    free(s->itmp);
}

int xp_scans_build(xp_mine *m, expose_result *r)
{
    scan_ctx s;
    memset(&s, 0, sizeof s);
    s.m = m;
    s.r = r;
    int rc = -1;
    uint32_t *ids = NULL;
    uint32_t *opened = count_openers(m, &ids);
    if (!opened || collect(&s, opened, ids) < 0 || alloc_sort(&s) < 0 || find(&s) < 0)
        goto out;
    if (r->nscans > 1)
        qsort(r->scans, r->nscans, sizeof *r->scans, scan_order);
    rc = 0;
out:
    free(opened);
    free(ids);
    free_ctx(&s);
    if (rc < 0)
        xp_fail(m->e, "out of memory while looking for scans");
    return rc;
}
