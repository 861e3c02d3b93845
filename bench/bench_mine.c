/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * bench_mine.c -- mining speed and memory at the paper's LabEnterprise
 * scale (7 hours of 1 s windows, ~900k five-tuples, K = 5000).
 *
 * Synthesises a server-facing enterprise trace in memory (no capture file,
 * so the figure is the miner's alone): 2000 clients, 300 servers on common
 * service ports, sessions as Poisson arrivals (name lookup, then one to
 * three connections, sometimes a backend connection from the server),
 * long-running sessions, and background noise.  Prints ingest rate, mining
 * time, rules evaluated, rules, clusters and peak memory.
 *
 * usage: bench_mine [--hours H] [--k K] [--rate SESSIONS_PER_S] [--seed N]
 */
#include "expose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng = 0x12345678;

static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static int poisson(double mean)
{
    /* Knuth's product method is fine for the small means used here. */
    double l = exp(-mean), p = 1.0;
    int k = 0;
    do {
        k++;
        p *= uniform();
    } while (p > l);
    return k - 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define NCLIENTS 2000
#define NSERVERS 300

typedef struct pkt { double t; expose_record r; } pkt;

static pkt *buf;
static size_t nbuf, capbuf;

static void addr4(uint8_t *a, int net, int host)
{
    memset(a, 0, 16);
    a[0] = 10;
    a[1] = (uint8_t)net;
    a[2] = (uint8_t)(host >> 8);
    a[3] = (uint8_t)host;
}

static void emit(double t, const uint8_t *s, int sp, const uint8_t *d, int dp, int proto, int flags)
{
    if (nbuf == capbuf) {
        capbuf = capbuf ? capbuf * 2 : 4096;
        buf = realloc(buf, capbuf * sizeof *buf);
        if (!buf)
            exit(1);
    }
    pkt *p = &buf[nbuf++];
    memset(&p->r, 0, sizeof p->r);
    p->t = t;
    memcpy(p->r.src, s, 16);
    memcpy(p->r.dst, d, 16);
    p->r.src_port = (uint16_t)sp;
    p->r.dst_port = (uint16_t)dp;
    p->r.proto = (uint8_t)proto;
    p->r.tcp_flags = (uint8_t)flags;
    p->r.ip_version = 4;
    p->r.length = 80;
}

static void tcp(double t, const uint8_t *c, const uint8_t *s, int sport, int npkts)
{
    int cp = 32768 + (int)(uniform() * 28000);
    emit(t, c, cp, s, sport, 6, 0x02);
    emit(t + 0.001, s, sport, c, cp, 6, 0x12);
    for (int i = 0; i < npkts; i++)
        emit(t + 0.002 + 0.01 * i, (i & 1) ? s : c, (i & 1) ? sport : cp, (i & 1) ? c : s,
             (i & 1) ? cp : sport, 6, 0x10);
}

static void udp(double t, const uint8_t *c, const uint8_t *s, int sport)
{
    int cp = 32768 + (int)(uniform() * 28000);
    emit(t, c, cp, s, sport, 17, 0);
    emit(t + 0.0005, s, sport, c, cp, 17, 0);
}

static const int ports[] = { 80, 443, 22, 25, 143, 993, 445, 139, 2049, 7000, 389, 88, 3306, 5432, 8080 };

static void session(double t)
{
    uint8_t c[16], s[16], dns[16], db[16];
    int ci = (int)(pow(uniform(), 2.0) * NCLIENTS);      /* some clients busier */
    int si = (int)(pow(uniform(), 1.5) * NSERVERS);      /* some servers popular */
    addr4(c, 1, ci + 1);
    addr4(s, 2, si + 1);
    addr4(dns, 3, 1 + (ci & 1));
    int port = ports[si % (int)(sizeof ports / sizeof ports[0])];
    if (uniform() < 0.6)
        udp(t, c, dns, 53);
    int n = 1 + (int)(uniform() * 3);
    for (int i = 0; i < n; i++)
        tcp(t + 0.01 + 0.05 * i, c, s, port, 2 + (int)(uniform() * 6));
    if (si % 10 == 0) {                  /* servers with a backend */
        addr4(db, 4, si / 10 + 1);
        tcp(t + 0.03, s, db, 5432, 2);
    }
}

static int by_time(const void *a, const void *b)
{
    double x = ((const pkt *)a)->t, y = ((const pkt *)b)->t;
    return x < y ? -1 : x > y;
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    double hours = 7, rate = 36;
    expose_params p;
    expose_params_default(&p);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--hours"))
            hours = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--k"))
            p.k = (unsigned)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--rate"))
            rate = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            rng = strtoull(argv[i + 1], NULL, 10) | 1;
    }
    expose_engine *e = expose_engine_new(&p);
    long seconds = (long)(hours * 3600);
    double feed_time = 0;
    uint64_t packets = 0;
    uint8_t ssh_c[16], ssh_s[16];
    for (long sec = 0; sec < seconds; sec++) {
        nbuf = 0;
        int n = poisson(rate);
        for (int i = 0; i < n; i++)
            session(sec + uniform() * 0.9);
        for (int k = 0; k < 40; k++)      /* long-running shells, a packet now and then */
            if (uniform() < 0.3) {
                addr4(ssh_c, 5, k + 1);
                addr4(ssh_s, 2, 3);
                emit(sec + uniform() * 0.99, ssh_c, 40000 + k, ssh_s, 22, 6, 0x10);
            }
        qsort(buf, nbuf, sizeof *buf, by_time);
        double t0 = now();
        for (size_t i = 0; i < nbuf; i++) {
            double whole = floor(buf[i].t);
            buf[i].r.ts_sec = 1700000000LL + (int64_t)whole;
            buf[i].r.ts_nsec = (uint32_t)((buf[i].t - whole) * 1e9);
            expose_engine_add(e, &buf[i].r);
        }
        feed_time += now() - t0;
        packets += nbuf;
    }
    long after_ingest = peak_kib();
    double t0 = now();
    expose_result *r = expose_engine_mine(e);
    double mine = now() - t0;
    if (!r) {
        fprintf(stderr, "bench_mine: %s\n", expose_engine_error(e));
        return 1;
    }
    const expose_summary *s = &r->summary;
    printf("trace: %.1f h, %llu packets, %llu five-tuples, %llu flows, %llu generics, %llu windows\n",
           hours, (unsigned long long)packets, (unsigned long long)s->connections,
           (unsigned long long)s->flows, (unsigned long long)s->generics,
           (unsigned long long)s->windows);
    printf("ingest: %.2f s, %.2f M packets/s (engine only)\n", feed_time, packets / feed_time / 1e6);
    printf("mine: K=%u: %.3f s, %llu selected, %llu rules evaluated, %llu rules, %llu clusters\n",
           p.k, mine, (unsigned long long)s->selected, (unsigned long long)s->candidates,
           (unsigned long long)s->rules, (unsigned long long)s->clusters);
    printf("memory: peak %.1f MiB (%.1f MiB after ingest)\n", peak_kib() / 1024.0,
           after_ingest / 1024.0);
    printf("ratio: mining took %.5f%% of the trace duration (paper: 300 s for 7 h = 1.2%%)\n",
           100.0 * mine / (hours * 3600));
    expose_result_free(r);
    expose_engine_free(e);
    free(buf);
    return 0;
}
