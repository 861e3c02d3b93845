/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_memory.c -- memory stays bounded: 10 M packets over 1 M distinct
 * five-tuples mine under a documented peak (README: 512 MiB; measured 294 MiB), and a
 * tight bound gives a consistent prefix that every report mentions. */
#include "unit.h"

#include <sys/resource.h>

#define PEAK_LIMIT_MIB 512.0

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

/* 1 M short connections (10 packets each) from 20 000 clients to 500
 * servers over one hour, in time order. */
static void feed_million(expose_engine *e, unsigned conns)
{
    expose_record r;
    memset(&r, 0, sizeof r);
    r.ip_version = 4;
    r.proto = EXPOSE_TCP;
    r.length = 64;
    uint64_t seed = 99;
    for (unsigned i = 0; i < conns; i++) {
        unsigned c = (unsigned)(unit_rand(&seed) * 20000), s = (unsigned)(unit_rand(&seed) * 500);
        uint8_t ca[4] = { 10, 20, (uint8_t)(c >> 8), (uint8_t)c }, sa[4] = { 10, 30, (uint8_t)(s >> 8), (uint8_t)s };
        uint16_t cp = (uint16_t)(1024 + i % 60000), sp = (uint16_t)(s % 2 ? 80 : 443);
        double t = 3600.0 * i / conns;
        for (int k = 0; k < 10; k++) {
            double tk = t + 0.0001 * k;
            r.ts_sec = T0 + (int64_t)tk;
            r.ts_nsec = (uint32_t)((tk - floor(tk)) * 1e9);
            int up = k % 2 == 0;
            memcpy(r.src, up ? ca : sa, 4);
            memcpy(r.dst, up ? sa : ca, 4);
            r.src_port = up ? cp : sp;
            r.dst_port = up ? sp : cp;
            r.tcp_flags = k == 0 ? EXPOSE_TH_SYN : EXPOSE_TH_ACK;
            expose_engine_add(e, &r);
        }
    }
}

int main(void)
{
    expose_engine *e = new_engine();
    feed_million(e, 1000000);
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "%s", expose_engine_error(e));
    if (r) {
        CHECK(r->summary.connections >= 990000, "about 1 M five-tuples (%llu)",
              (unsigned long long)r->summary.connections);
        CHECK(r->summary.packets == 10000000 && r->summary.untracked == 0, "all mined");
    }
    double peak = peak_mib();
    printf("10 M packets, %llu five-tuples: peak %.1f MiB (limit %.0f MiB)\n",
           r ? (unsigned long long)r->summary.connections : 0ULL, peak, PEAK_LIMIT_MIB);
    CHECK(peak < PEAK_LIMIT_MIB, "peak %.1f MiB", peak);
    expose_result_free(r);
    expose_engine_free(e);

    expose_params p;
    expose_params_default(&p);
    p.max_conns = 50000;
    e = expose_engine_new(&p);
    feed_million(e, 200000);
    r = expose_engine_mine(e);
    CHECK(r != NULL, "bounded run mines: %s", expose_engine_error(e));
    if (r) {
        CHECK(r->summary.connections == 50000, "stopped at the bound (%llu)",
              (unsigned long long)r->summary.connections);
        CHECK(r->summary.untracked > 0 && r->summary.untracked < r->summary.packets, "counted, not mined");
        CHECK(r->summary.covered_until > r->summary.first && r->summary.covered_until <= r->summary.last,
              "coverage ends inside the trace");
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        expose_write_text(r, f);
        fclose(f);
        CHECK(buf && strstr(buf, "memory bound reached"), "the text report says so");
        free(buf);
        f = open_memstream(&buf, &len);
        expose_write_json(r, f);
        fclose(f);
        CHECK(buf && strstr(buf, "\"untracked\":") && !strstr(buf, "\"untracked\":0,"), "JSON too");
        free(buf);
    }
    expose_result_free(r);
    expose_engine_free(e);
    UNIT_DONE();
}
