/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * engine.c -- the engine's life cycle and the per-packet entry point:
 * record -> window index -> connection -> activity event.
 */
#include "engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xp_fail(expose_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->error, sizeof e->error, fmt, ap);
    va_end(ap);
}

int xp_reserve(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    void *grown = realloc(*arr, n * elem);
    if (!grown)
        return -1;
    *arr = grown;
    *cap = (uint32_t)n;
    return 0;
}

expose_engine *expose_engine_new(const expose_params *p)
{
    expose_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (p)
        e->params = *p;
    else
        expose_params_default(&e->params);
    e->window_ns = llround(e->params.window * 1e9);
    if (e->window_ns < 1)
        e->window_ns = 1;
    double idle = e->params.idle > 0 ? e->params.idle : e->params.window;
    e->idle_ns = llround(idle * 1e9);
    if (xp_conntab_init(&e->ct) < 0) {
        expose_engine_free(e);
        return NULL;
    }
    return e;
}

void expose_engine_free(expose_engine *e)
{
    if (!e)
        return;
    xp_conntab_free(&e->ct);
    free(e);
}

const char *expose_engine_error(const expose_engine *e)
{
    return e ? e->error : "no engine";
}

void expose_engine_skip(expose_engine *e, expose_skip_reason why)
{
    e->sum.packets++;
    if ((unsigned)why < EXPOSE_SKIP__COUNT)
        e->sum.skipped[why]++;
}

/* Longest trace, first to last packet: 100 years, so that differences of
 * capture times never overflow int64_t nanoseconds. */
#define XP_MAX_SPAN_NS (100LL * 366 * 86400 * 1000000000LL)

/* End ingest at the current packet: the packets before it stay minable (a
 * damaged capture still gives the rules of its readable part), the rest is
 * counted as untracked, and the reason goes into the error and the
 * summary.  Returns -1 so that the caller learns of it once. */
static int stop_at(expose_engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int stop_at(expose_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->error, sizeof e->error, fmt, ap);
    va_end(ap);
    snprintf(e->sum.stop_reason, sizeof e->sum.stop_reason, "%s", e->error);
    e->stopped = 1;
    e->sum.covered_until = e->sum.last;
    e->sum.untracked++;
    return -1;
}

/* Window of a packet; packets slightly earlier than their predecessor stay
 * in the current window (captures from several queues reorder a little),
 * a large step back means a spliced or broken capture and ends the run. */
static int window_of(expose_engine *e, int64_t t, uint32_t *w)
{
    if (!e->started) {
        /* Windows are aligned on multiples of the window size since the
         * epoch, not on the first packet: two readers that see different
         * first packets (a display filter, a skipped frame) still cut the
         * same windows. */
        int64_t rem = t % e->window_ns;
        e->started = 1;
        e->t0_ns = t - (rem < 0 ? rem + e->window_ns : rem);
        e->last_ns = t;
        e->cur_w = 0;
        e->sum.first = e->sum.last = (double)t / 1e9;
    }
    if (t < e->last_ns) {
        /* Unsigned: two capture times may lie further apart than int64_t
         * reaches (both are within +-9e18 ns). */
        uint64_t back = (uint64_t)e->last_ns - (uint64_t)t;
        if (back > (uint64_t)e->window_ns) {
            return stop_at(e, "timestamps go backwards by %.3f s at packet %llu (more than "
                           "one %g s window); sort the capture first (for example with "
                           "reordercap)", (double)back / 1e9,
                           (unsigned long long)e->sum.packets, e->params.window);
        }
        e->sum.reordered++;
        if ((double)back / 1e9 > e->sum.max_reorder)
            e->sum.max_reorder = (double)back / 1e9;
        *w = e->cur_w;
        return 0;
    }
    /* t >= last_ns >= t0_ns; the span is checked before any signed
     * arithmetic on it, so later differences of times fit in int64_t. */
    uint64_t span = (uint64_t)t - (uint64_t)e->t0_ns;
    if (span > XP_MAX_SPAN_NS) {
        return stop_at(e, "capture times span more than 100 years (packet %llu is %.0f s after "
                       "the first); the capture is corrupt", (unsigned long long)e->sum.packets,
                       (double)span / 1e9);
    }
    uint64_t idx = span / (uint64_t)e->window_ns;
    if (idx >= (uint64_t)UINT32_MAX - 1) {
        return stop_at(e, "the trace spans more than %u windows of %g s at packet %llu; use a "
                       "larger window", UINT32_MAX - 2, e->params.window,
                       (unsigned long long)e->sum.packets);
    }
    e->last_ns = t;
    e->sum.last = (double)t / 1e9;
    e->cur_w = (uint32_t)idx;
    *w = e->cur_w;
    return 0;
}

/* The memory bound: once the connection table or the activity log is full,
 * the engine keeps counting packets but mines only the prefix it holds, so
 * the answer stays consistent (a prefix of the trace, said in every report)
 * instead of silently missing whatever arrived late. */
static int over_budget(expose_engine *e)
{
    if (e->stopped) {
        e->sum.untracked++;
        return 1;
    }
    if (e->ct.count < e->params.max_conns && e->ct.log.count < e->params.max_events)
        return 0;
    snprintf(e->sum.stop_reason, sizeof e->sum.stop_reason,
             "memory bound reached at packet %llu (max-conns %u, max-events %u; raise them "
             "to mine more)", (unsigned long long)e->sum.packets, e->params.max_conns,
             e->params.max_events);
    e->stopped = 1;
    e->sum.covered_until = e->sum.last;
    e->sum.untracked++;
    return 1;
}

static int known_proto(uint8_t proto)
{
    return proto == EXPOSE_TCP || proto == EXPOSE_UDP || proto == EXPOSE_ICMP ||
           proto == EXPOSE_ICMPV6;
}

int expose_engine_add(expose_engine *e, const expose_record *r)
{
    if (e->failed)
        return -1;
    if (r->ip_version != 4 && r->ip_version != 6) {
        expose_engine_skip(e, EXPOSE_SKIP_NOT_IP);
        return 0;
    }
    if (!known_proto(r->proto)) {
        expose_engine_skip(e, EXPOSE_SKIP_OTHER_PROTO);
        return 0;
    }
    /* Absurd capture times (beyond year 2262 in ns) cannot be windows. */
    if (r->ts_sec > 9000000000LL || r->ts_sec < -9000000000LL || r->ts_nsec > 999999999u) {
        expose_engine_skip(e, EXPOSE_SKIP_MALFORMED);
        return 0;
    }
    int64_t t = r->ts_sec * 1000000000LL + r->ts_nsec;
    uint32_t w = 0;
    e->sum.packets++;
    if (over_budget(e))
        return 0;
    if (window_of(e, t, &w) < 0)
        return -1;
    e->sum.ip_packets++;

    int icmp = r->proto == EXPOSE_ICMP || r->proto == EXPOSE_ICMPV6;
    uint16_t sport = icmp ? 0 : r->src_port, dport = icmp ? 0 : r->dst_port;
    int from_a;
    uint32_t ci = xp_conntab_lookup(&e->ct, r->ip_version, r->proto, r->src, sport,
                                    r->dst, dport, t, &from_a);
    if (ci == UINT32_MAX)
        goto oom;
    xp_conn *c = &e->ct.conns[ci];
    if (from_a)
        c->packets_a++;
    else
        c->packets_b++;
    c->bytes += r->length;
    if (t > c->last_ns)
        c->last_ns = t;
    uint32_t flags = 0;
    if (r->proto == EXPOSE_TCP && (r->tcp_flags & (EXPOSE_TH_SYN | EXPOSE_TH_ACK)) == EXPOSE_TH_SYN) {
        c->syn_mask |= from_a ? 1 : 2;
        flags = XP_EV_SYN;
    }
    if (xp_conntab_touch(&e->ct, ci, w, flags) < 0)
        goto oom;
    return 0;
oom:
    xp_fail(e, "out of memory after %llu packets (%u connections)",
            (unsigned long long)e->sum.packets, e->ct.count);
    e->failed = 1;
    return -1;
}
