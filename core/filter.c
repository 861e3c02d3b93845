/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * filter.c -- Wireshark display filters for items, rules, clusters and
 * hosts.  An item's filter matches the packets of its flow in both
 * directions; "!icmp" keeps out ICMP errors that quote the flow's header
 * (the miner counts those as ICMP, not as the flow).  Activities (new,
 * present) select the same packets, so a rule's filter is the union of its
 * two flows' filters.
 */
#include "expose.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A growable string. */
typedef struct sbuf { char *s; size_t len, cap; int failed; } sbuf;

static void sb_add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->s = grown;
        b->cap = cap;
    }
}

static char *sb_take(sbuf *b)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    return b->s ? b->s : strdup("");
}

static const char *transport(uint8_t proto)
{
    switch (proto) {
    case EXPOSE_TCP: return "tcp";
    case EXPOSE_UDP: return "udp";
    case EXPOSE_ICMPV6: return "icmpv6";
    default: return "icmp";
    }
}

/* One direction of a flow: src side (address, port) to dst side. */
static void direction(sbuf *b, const expose_item *it, int from_client)
{
    const char *ip = it->ip_version == 6 ? "ipv6" : "ip", *tp = transport(it->proto);
    char c[64], s[64];
    expose_addr_text(it->ip_version, it->client, c, sizeof c);
    expose_addr_text(it->ip_version, it->server, s, sizeof s);
    int ports = it->proto == EXPOSE_TCP || it->proto == EXPOSE_UDP;
    const char *cdir = from_client ? "src" : "dst", *sdir = from_client ? "dst" : "src";
    sb_add(b, "(");
    if (!it->generic)
        sb_add(b, "%s.%s==%s && ", ip, cdir, c);
    sb_add(b, "%s.%s==%s", ip, sdir, s);
    if (ports && !it->generic && it->client_port != EXPOSE_ANY_PORT)
        sb_add(b, " && %s.%sport==%d", tp, cdir, (int)it->client_port);
    if (ports && it->server_port != EXPOSE_ANY_PORT)
        sb_add(b, " && %s.%sport==%d", tp, sdir, (int)it->server_port);
    sb_add(b, ")");
}

static void item_filter(sbuf *b, const expose_item *it)
{
    const char *tp = transport(it->proto);
    const char *icmp = it->ip_version == 6 ? "icmpv6" : "icmp";
    if (it->proto == EXPOSE_TCP || it->proto == EXPOSE_UDP)
        sb_add(b, "(%s && !%s && (", tp, icmp);
    else
        sb_add(b, "(%s && (", tp);
    direction(b, it, 1);
    sb_add(b, " || ");
    direction(b, it, 0);
    sb_add(b, "))");
}

char *expose_item_filter(const expose_item *it)
{
    sbuf b = { 0 };
    item_filter(&b, it);
    return sb_take(&b);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The union of the filters of a set of items, each flow once (new and
 * present of one flow select the same packets). */
static char *union_filter(const expose_result *r, const uint32_t *items, uint32_t n)
{
    sbuf b = { 0 };
    uint64_t *keyed = malloc((n ? n : 1) * sizeof *keyed);   /* flow << 32 | item */
    if (!keyed)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        keyed[i] = (uint64_t)r->items[items[i]].flow << 32 | items[i];
    qsort(keyed, n, sizeof *keyed, by_u64);
    for (uint32_t i = 0; i < n; i++) {
        if (i && keyed[i] >> 32 == keyed[i - 1] >> 32)
            continue;
        if (b.len)
            sb_add(&b, " || ");
        item_filter(&b, &r->items[(uint32_t)keyed[i]]);
    }
    free(keyed);
    return sb_take(&b);
}

char *expose_rule_filter(const expose_result *r, uint32_t rule_index)
{
    if (rule_index >= r->nrules)
        return NULL;
    uint32_t items[2] = { r->rules[rule_index].lhs, r->rules[rule_index].rhs };
    return union_filter(r, items, 2);
}

char *expose_cluster_filter(const expose_result *r, uint32_t cluster_index)
{
    if (cluster_index >= r->nclusters)
        return NULL;
    const expose_cluster *c = &r->clusters[cluster_index];
    uint32_t *items = malloc((2 * (size_t)c->nrules + 1) * sizeof *items), n = 0;
    if (!items)
        return NULL;
    for (uint32_t i = 0; i < c->nrules; i++) {
        const expose_rule *rule = &r->rules[c->rules[i] - 1];
        items[n++] = rule->lhs;
        items[n++] = rule->rhs;
    }
    char *f = union_filter(r, items, n);
    free(items);
    return f;
}

char *expose_host_filter(int ip_version, const uint8_t *addr)
{
    char a[64], *out = malloc(96);
    if (out)
        snprintf(out, 96, "%s.addr==%s", ip_version == 6 ? "ipv6" : "ip",
                 expose_addr_text(ip_version, addr, a, sizeof a));
    return out;
}
