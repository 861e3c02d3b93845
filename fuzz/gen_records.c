/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * gen_records.c -- seed inputs for fuzz_records, in records_format.h's
 * format: small traces in which rules do form (DNS before web, a web
 * server calling its database, load-balanced proxies, a port scan, IPv6),
 * and traces with the odd things the core must survive (time going
 * backwards, absurd times, unknown IP versions and protocols, bad skip
 * reasons).  Deterministic: same files on every run.
 *
 * usage: gen_records OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records_format.h"

#define MAXREC 4000

typedef struct seed {
    uint8_t bytes[FR_HEADER + MAXREC * FR_RECORD];
    size_t  len;
    uint32_t rng;
} seed;

/* Port pool indexes (records_format.h, fr_ports). */
enum { P53 = 0, P80 = 1, P443 = 2, P22 = 3, P0 = 4, P65535 = 5, P123 = 7, P3306 = 10,
       PEPH = 11 };
#define EPH(v) (PEPH | ((v) & 15) << 4)
/* Protocol bits. */
#define TCP (FR_P_TCP << 4)
#define UDP (FR_P_UDP << 4)
#define ICMP (FR_P_ICMP << 4)

static uint32_t rnd(seed *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 17;
    s->rng ^= s->rng << 5;
    return s->rng;
}

static void start(seed *s, const uint8_t header[FR_HEADER], uint32_t rng)
{
    memcpy(s->bytes, header, FR_HEADER);
    s->len = FR_HEADER;
    s->rng = rng;
}

static void rec(seed *s, uint8_t op, int8_t arg, unsigned src, unsigned dst, uint8_t sport,
                uint8_t dport, uint8_t flags, uint8_t extra)
{
    if (s->len + FR_RECORD > sizeof s->bytes)
        return;
    uint8_t *b = s->bytes + s->len;
    b[0] = op;
    b[1] = (uint8_t)arg;
    b[2] = (uint8_t)((src & 15) | (dst & 15) << 4);
    b[3] = sport;
    b[4] = dport;
    b[5] = flags;
    b[6] = 4;
    b[7] = extra;
    s->len += FR_RECORD;
}

/* A TCP connection c:eph -> srv:port, 1 ms per packet. */
static void tcp_conn(seed *s, uint8_t v6, unsigned c, unsigned srv, uint8_t port)
{
    uint8_t eph = EPH(rnd(s));
    rec(s, TCP | v6 | FR_STEP_1MS, 1, c, srv, eph, port, EXPOSE_TH_SYN, 0);
    rec(s, TCP | v6 | FR_STEP_1MS, 1, srv, c, port, eph, EXPOSE_TH_SYN | EXPOSE_TH_ACK, 0);
    rec(s, TCP | v6 | FR_STEP_1MS, 1, c, srv, eph, port, EXPOSE_TH_ACK, 0);
    rec(s, TCP | v6 | FR_STEP_1MS, 2, srv, c, port, eph, EXPOSE_TH_ACK | EXPOSE_TH_FIN, 0);
}

static void udp_pair(seed *s, uint8_t v6, unsigned c, unsigned srv, uint8_t port)
{
    uint8_t eph = EPH(rnd(s));
    rec(s, UDP | v6 | FR_STEP_1MS, 1, c, srv, eph, port, 0, 0);
    rec(s, UDP | v6 | FR_STEP_1MS, 1, srv, c, port, eph, 0, 0);
}

/* Move the clock by ms milliseconds (any size) in 10 ms steps. */
static void wait_ms(seed *s, int ms)
{
    while (ms != 0) {
        int step = ms / 10;
        if (step > 100)
            step = 100;
        if (step < -100)
            step = -100;
        if (step == 0) {
            rec(s, UDP | FR_STEP_1MS, (int8_t)ms, 0, 15, P123, P123, 0, 0);
            return;
        }
        rec(s, UDP | FR_STEP_10MS, (int8_t)step, 0, 15, P123, P123, 0, 0);
        ms -= step * 10;
    }
}

/* window 0.1 s, k 64, min-windows 2, min-joint 1, beta 0, no port learning */
static const uint8_t h_basic[FR_HEADER] = { 3, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

static void dns_web(seed *s, uint8_t v6, int windows)
{
    for (int w = 0; w < windows; w++) {
        for (unsigned c = 0; c < 10; c++) {
            if (rnd(s) % 3 != 0)
                continue;
            udp_pair(s, v6, c, 12, P53);
            tcp_conn(s, v6, c, 13, P80);
        }
        wait_ms(s, 100);
    }
}

static void backend(seed *s, int windows)
{
    for (int w = 0; w < windows; w++) {
        for (unsigned c = 0; c < 8; c++) {
            if (rnd(s) % 2)
                continue;
            tcp_conn(s, 0, c, 13, P443);
            tcp_conn(s, 0, 13, 14, P3306);
        }
        wait_ms(s, 100);
    }
}

static void loadbalance(seed *s, int windows)
{
    for (int w = 0; w < windows; w++) {
        unsigned c = rnd(s) % 8;
        for (unsigned proxy = 9; proxy < 14; proxy++)
            tcp_conn(s, 0, c, proxy, EPH(7));
        wait_ms(s, 100);
    }
}

static void scan(seed *s)
{
    for (int i = 0; i < 31; i++) {
        uint8_t port = i < 16 ? (uint8_t)i : EPH(i);
        rec(s, TCP | FR_STEP_1MS, 3, 1, 2, EPH(1), port, EXPOSE_TH_SYN, 0);
        if (i % 3 == 0)
            rec(s, TCP | FR_STEP_1MS, 1, 2, 1, port, EPH(1), EXPOSE_TH_RST | EXPOSE_TH_ACK, 0);
    }
    for (unsigned t = 3; t < 16; t++)
        rec(s, TCP | FR_STEP_1MS, 2, 1, t, EPH(2), P22, EXPOSE_TH_SYN, 0);
}

static void odd_things(seed *s)
{
    for (int i = 0; i < 8; i++) {
        rec(s, FR_SKIP, (int8_t)i, 0, 0, 0, 0, 0, 0);
        rec(s, UDP | FR_ABSURD, (int8_t)(i | (i & 1) << 3), 1, 2, P53, P53, 0, 0);
        rec(s, UDP | FR_ODD_VERSION | FR_STEP_1MS, 1, 1, 2, P53, P53, 0, (uint8_t)i);
        rec(s, (FR_P_RAW << 4) | FR_STEP_1MS, 1, 1, 2, P0, P0, 0, (uint8_t)i);
        rec(s, (FR_P_ICMPV6 << 4) | FR_V6 | FR_SAME, 0, 3, 4, P0, P0, 0, 0);
        rec(s, ICMP | FR_SAME, 0, 3, 4, P65535, P0, 0xff, 0);
    }
}

static int save(const seed *s, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s->bytes, 1, s->len, f) != s->len || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_records OUTDIR\n");
        return 2;
    }
    static seed s;
    const char *dir = argv[1];
    int rc = 0;
    uint8_t h[FR_HEADER];

    memcpy(h, h_basic, sizeof h);
    h[11] = 3 << 2;        /* every output */
    start(&s, h, 1);
    dns_web(&s, 0, 30);
    rc |= save(&s, dir, "dns-web");

    start(&s, h_basic, 2);
    dns_web(&s, FR_V6, 30);
    rc |= save(&s, dir, "dns-web-v6");

    memcpy(h, h_basic, sizeof h);
    h[4] = 3;              /* beta 3 */
    h[5] = 2;              /* learn ports seen with 2 peers */
    h[7] = 1 | 2 << 2;     /* alpha 0, idle 0.5 s */
    h[11] = 1 << 2;        /* JSON */
    start(&s, h, 3);
    backend(&s, 30);
    rc |= save(&s, dir, "backend");

    memcpy(h, h_basic, sizeof h);
    h[11] = 2 << 2;        /* display filters */
    start(&s, h, 4);
    loadbalance(&s, 30);
    rc |= save(&s, dir, "loadbalance");

    memcpy(h, h_basic, sizeof h);
    h[8] = 0 | 0 << 2;     /* profiles every second, aging 1 s */
    start(&s, h, 5);
    for (int i = 0; i < 20; i++) {
        scan(&s);
        wait_ms(&s, 300);
    }
    rc |= save(&s, dir, "scan");

    /* Time going backwards: a little (reordered), then by a window. */
    start(&s, h_basic, 6);
    dns_web(&s, 0, 10);
    wait_ms(&s, -50);
    dns_web(&s, 0, 10);
    wait_ms(&s, -900);
    dns_web(&s, 0, 10);
    rc |= save(&s, dir, "backwards");

    /* Start just before the end of the representable range. */
    memcpy(h, h_basic, sizeof h);
    h[11] = 3;
    start(&s, h, 7);
    dns_web(&s, 0, 20);
    rec(&s, UDP | FR_STEP_1MIN, 127, 0, 1, P53, P53, 0, 0);
    dns_web(&s, 0, 5);
    rc |= save(&s, dir, "late");

    /* Before the epoch, with the smallest window. */
    memcpy(h, h_basic, sizeof h);
    h[0] = 7;
    h[11] = 2;
    start(&s, h, 8);
    dns_web(&s, 0, 20);
    rc |= save(&s, dir, "pre-epoch");

    start(&s, h_basic, 9);
    dns_web(&s, 0, 10);
    odd_things(&s);
    dns_web(&s, 0, 10);
    rc |= save(&s, dir, "odd");

    /* The memory bounds: 16 five-tuples, 100 connection-window records. */
    memcpy(h, h_basic, sizeof h);
    h[9] = 1 << 6;
    h[10] = 2 << 6;
    h[11] = 3 << 2;
    start(&s, h, 11);
    dns_web(&s, 0, 30);
    rc |= save(&s, dir, "bounded");

    /* Many windows of 1 s with jumps of an hour. */
    memcpy(h, h_basic, sizeof h);
    h[0] = 6;
    start(&s, h, 10);
    for (int i = 0; i < 4; i++) {
        dns_web(&s, 0, 5);
        rec(&s, UDP | FR_STEP_1MIN, 60, 0, 1, P53, P53, 0, 0);
    }
    rc |= save(&s, dir, "gaps");
    return rc ? 1 : 0;
}
