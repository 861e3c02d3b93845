/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unit.h -- a minimal check harness and record builders for the core's
 * unit tests.  A failed CHECK prints where and why and makes main return 1.
 */
#ifndef EXPOSE_UNIT_H
#define EXPOSE_UNIT_H

#include "expose.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures;
static int unit_checks;

#define CHECK(cond, ...)                                                              \
    do {                                                                              \
        unit_checks++;                                                                \
        if (!(cond)) {                                                                \
            unit_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
        }                                                                             \
    } while (0)

#define UNIT_DONE()                                                                   \
    do {                                                                              \
        printf("%d checks, %d failed\n", unit_checks, unit_failures);                 \
        return unit_failures ? 1 : 0;                                                 \
    } while (0)

#define T0 1700000000LL   /* start of every synthetic trace */

/* Feed one packet: t in seconds from T0, addresses as text (v4 or v6). */
static inline int feed(expose_engine *e, double t, const char *src, int sport, const char *dst,
                       int dport, int proto, int flags)
{
    expose_record r;
    memset(&r, 0, sizeof r);
    double whole = floor(t);
    r.ts_sec = T0 + (int64_t)whole;
    r.ts_nsec = (uint32_t)llround((t - whole) * 1e9);
    if (r.ts_nsec > 999999999u)
        r.ts_nsec = 999999999u;
    r.ip_version = strchr(src, ':') ? 6 : 4;
    int af = r.ip_version == 6 ? AF_INET6 : AF_INET;
    if (inet_pton(af, src, r.src) != 1 || inet_pton(af, dst, r.dst) != 1) {
        fprintf(stderr, "bad address %s or %s\n", src, dst);
        exit(2);
    }
    r.proto = (uint8_t)proto;
    r.src_port = (uint16_t)sport;
    r.dst_port = (uint16_t)dport;
    r.tcp_flags = (uint8_t)flags;
    r.length = 60;
    return expose_engine_add(e, &r);
}

/* A short TCP connection: SYN, SYN-ACK, ACK+data, reply, all within 10 ms. */
static inline void tcp_conn(expose_engine *e, double t, const char *c, int cport, const char *s,
                            int sport)
{
    feed(e, t, c, cport, s, sport, EXPOSE_TCP, EXPOSE_TH_SYN);
    feed(e, t + 0.002, s, sport, c, cport, EXPOSE_TCP, EXPOSE_TH_SYN | EXPOSE_TH_ACK);
    feed(e, t + 0.004, c, cport, s, sport, EXPOSE_TCP, EXPOSE_TH_ACK);
    feed(e, t + 0.008, s, sport, c, cport, EXPOSE_TCP, EXPOSE_TH_ACK | EXPOSE_TH_FIN);
}

/* A UDP request and its answer. */
static inline void udp_pair(expose_engine *e, double t, const char *c, int cport, const char *s,
                            int sport)
{
    feed(e, t, c, cport, s, sport, EXPOSE_UDP, 0);
    feed(e, t + 0.001, s, sport, c, cport, EXPOSE_UDP, 0);
}

/* Deterministic pseudo-random numbers for tests. */
static inline double unit_rand(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* Find a rule by the text of its two items and their activities
 * ("new"/"present"/NULL for either); returns its index or -1. */
static inline int find_rule(const expose_result *r, const char *lhs, const char *lact,
                            const char *rhs, const char *ract)
{
    char a[EXPOSE_ITEM_TEXT_MAX], b[EXPOSE_ITEM_TEXT_MAX];
    for (uint32_t i = 0; i < r->nrules; i++) {
        const expose_item *x = &r->items[r->rules[i].lhs], *y = &r->items[r->rules[i].rhs];
        if (strcmp(expose_item_text(x, a, sizeof a), lhs) || strcmp(expose_item_text(y, b, sizeof b), rhs))
            continue;
        if (lact && strcmp(lact, x->activity == EXPOSE_NEW ? "new" : "present"))
            continue;
        if (ract && strcmp(ract, y->activity == EXPOSE_NEW ? "new" : "present"))
            continue;
        return (int)i;
    }
    return -1;
}

/* Does any rule mention an item whose text contains `needle`? */
static inline int any_rule_mentions(const expose_result *r, const char *needle)
{
    char a[EXPOSE_ITEM_TEXT_MAX], b[EXPOSE_ITEM_TEXT_MAX];
    for (uint32_t i = 0; i < r->nrules; i++)
        if (strstr(expose_item_text(&r->items[r->rules[i].lhs], a, sizeof a), needle) ||
            strstr(expose_item_text(&r->items[r->rules[i].rhs], b, sizeof b), needle))
            return 1;
    return 0;
}

static inline expose_engine *new_engine(void)
{
    expose_params p;
    expose_params_default(&p);
    return expose_engine_new(&p);
}

#endif
