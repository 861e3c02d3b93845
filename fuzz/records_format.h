/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * records_format.h -- how fuzz_records turns bytes into parameters and
 * expose_records; shared with gen_records (the seed generator), which
 * writes the same format forwards.
 *
 * Header, 12 bytes (each picks from a small table of legal values):
 *   [0] window  [1] k  [2] min-windows  [3] min-joint  [4] beta
 *   [5] learn-ports  [6] max-present | ratio<<2  [7] alpha | idle<<2
 *   [8] profile-interval | profile-aging<<2  [9] scan-ports | max-conns<<6
 *   [10] scan-hosts | max-events<<6
 *   [11] start time (bits 0-1); bits 2-3 pick the outputs fuzz_records writes
 * Record, 8 bytes:
 *   [0] op: bits 0-2 kind, bit 3 IPv6, bits 4-6 protocol, bit 7 odd IP version
 *       kind 0..3: time step (int8)[1] x 100 us, 1 ms, 10 ms, 1 s
 *       kind 4:    same time as the previous record
 *       kind 5:    expose_engine_skip with reason [1] % 8 (5..7 are invalid)
 *       kind 6:    absurd time from a table ([1] & 7), nanoseconds >= 1 s
 *                  when [1] & 8; the clock does not move
 *       kind 7:    time step (int8)[1] x 60 s
 *   [1] argument of the kind
 *   [2] source address (low nibble) and destination address (high nibble),
 *       from a pool of 16 per IP version
 *   [3] source port, [4] destination port: pool index (low nibble) and
 *       variant (high nibble)
 *   [5] TCP flags, as given
 *   [6] length / 16
 *   [7] protocol number when the protocol bits say "raw", IP version
 *       (& 7) when bit 7 of [0] is set
 */
#ifndef EXPOSE_FUZZ_RECORDS_FORMAT_H
#define EXPOSE_FUZZ_RECORDS_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "expose.h"

#define FR_HEADER 12
#define FR_RECORD 8
#define FR_MAX_RECORDS 20000

enum { FR_STEP_100US = 0, FR_STEP_1MS, FR_STEP_10MS, FR_STEP_1S, FR_SAME, FR_SKIP,
       FR_ABSURD, FR_STEP_1MIN };
enum { FR_V6 = 0x08, FR_ODD_VERSION = 0x80 };
/* protocol bits (op >> 4 & 7) */
enum { FR_P_TCP = 0, FR_P_UDP = 2, FR_P_ICMP = 4, FR_P_ICMPV6 = 5, FR_P_RAW = 6 };

static const double fr_windows[8] = { 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 0.001 };
static const double fr_max_present[4] = { 1.0, 0.9, 0.5, 0.2 };
static const double fr_ratio[4] = { 3.0, 1.0, 10.0, 1e9 };
static const double fr_alpha[4] = { 0.01, 0.0, 0.001, 0.1 };
static const double fr_idle[4] = { 0.0, 0.005, 0.5, 3.0 };
static const double fr_interval[4] = { 1.0, 2.0, 5.0, 30.0 };
static const double fr_aging[4] = { 1.0, 10.0, 604800.0, 3.0 };
static const int64_t fr_start[4] = { 1700000000LL, 0, -1, 8999999000LL };
static const int64_t fr_absurd[8] = { INT64_MAX, INT64_MIN, 9000000001LL, -9000000001LL,
                                      0, 9000000000LL, -9000000000LL, 1700000000LL };
static const uint16_t fr_ports[16] = { 53, 80, 443, 22, 0, 65535, 1024, 123,
                                       5353, 8080, 3306, 40000, 32768, 1, 137, 5432 };
static const uint8_t fr_raw_protos[4] = { 47, 50, 255, 0 };
static const unsigned fr_max_conns[4] = { 4000000, 16, 40, 200 };
static const unsigned fr_max_events[4] = { 64000000, 16, 100, 1000 };

static inline void fr_params(const uint8_t *h, expose_params *p)
{
    expose_params_default(p);
    p->window = fr_windows[h[0] & 7];
    p->k = 1 + h[1] % 64;
    p->min_windows = 2 + h[2] % 8;
    p->min_joint = 1 + h[3] % 4;
    p->beta = h[4] % 5;
    p->learn_ports = h[5] % 6;
    p->max_present = fr_max_present[h[6] & 3];
    p->ratio = fr_ratio[(h[6] >> 2) & 3];
    p->alpha = fr_alpha[h[7] & 3];
    p->idle = fr_idle[(h[7] >> 2) & 3];
    p->profile_interval = fr_interval[h[8] & 3];
    p->profile_aging = fr_aging[(h[8] >> 2) & 3];
    p->scan_ports = 2 + h[9] % 8;
    p->scan_hosts = 2 + h[10] % 8;
    p->max_conns = fr_max_conns[h[9] >> 6];
    p->max_events = fr_max_events[h[10] >> 6];
}

/* The running capture clock, in nanoseconds (saturating). */
typedef struct fr_clock { int64_t ns; } fr_clock;

static inline void fr_clock_start(fr_clock *c, uint8_t sel)
{
    c->ns = fr_start[sel & 3] * 1000000000LL;
}

static inline void fr_clock_step(fr_clock *c, int64_t step)
{
    if (step > 0 && c->ns > INT64_MAX - step)
        c->ns = INT64_MAX;
    else if (step < 0 && c->ns < INT64_MIN - step)
        c->ns = INT64_MIN;
    else
        c->ns += step;
}

static inline void fr_address(int v6, unsigned i, uint8_t a[16])
{
    memset(a, 0, 16);
    if (v6) {
        a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
        a[15] = (uint8_t)(i + 1);
    } else {
        a[0] = 10; a[3] = (uint8_t)(i + 1);
    }
}

static inline uint16_t fr_port(uint8_t sel)
{
    unsigned i = sel & 15;
    if (fr_ports[i] == 40000)
        return (uint16_t)(40000 + (sel >> 4));
    return fr_ports[i];
}

/* Decode one record instruction.  Returns -1 with rec filled, or a skip
 * reason (0..7, possibly out of range) for expose_engine_skip. */
static inline int fr_record(const uint8_t *b, fr_clock *clk, expose_record *rec)
{
    unsigned kind = b[0] & 7;
    static const int64_t unit[4] = { 100000, 1000000, 10000000, 1000000000 };
    if (kind == FR_SKIP)
        return b[1] % 8;
    memset(rec, 0, sizeof *rec);
    int64_t ns = clk->ns;
    if (kind <= FR_STEP_1S)
        fr_clock_step(clk, (int8_t)b[1] * unit[kind]);
    else if (kind == FR_STEP_1MIN)
        fr_clock_step(clk, (int8_t)b[1] * 60LL * 1000000000LL);
    if (kind != FR_ABSURD) {
        ns = clk->ns;
        int64_t sec = ns / 1000000000LL, rem = ns % 1000000000LL;
        if (rem < 0) {
            rem += 1000000000LL;
            sec--;
        }
        rec->ts_sec = sec;
        rec->ts_nsec = (uint32_t)rem;
    } else {
        rec->ts_sec = fr_absurd[b[1] & 7];
        rec->ts_nsec = (b[1] & 8) ? 1000000000u + b[6] : (uint32_t)b[6] * 1000000u;
    }
    int v6 = (b[0] & FR_V6) != 0;
    rec->ip_version = (b[0] & FR_ODD_VERSION) ? (uint8_t)(b[7] & 7) : (v6 ? 6 : 4);
    v6 = rec->ip_version == 6;   /* IPv4 addresses keep bytes 4..15 zero */
    switch ((b[0] >> 4) & 7) {
    case 0: case 1: case 7: rec->proto = EXPOSE_TCP; break;
    case 2: case 3:         rec->proto = EXPOSE_UDP; break;
    case 4:                 rec->proto = EXPOSE_ICMP; break;
    case 5:                 rec->proto = EXPOSE_ICMPV6; break;
    default:                rec->proto = fr_raw_protos[b[7] & 3]; break;
    }
    fr_address(v6, b[2] & 15, rec->src);
    fr_address(v6, b[2] >> 4, rec->dst);
    rec->src_port = fr_port(b[3]);
    rec->dst_port = fr_port(b[4]);
    rec->tcp_flags = rec->proto == EXPOSE_TCP ? b[5] : 0;
    rec->length = (uint32_t)b[6] * 16;
    return -1;
}

#endif /* EXPOSE_FUZZ_RECORDS_FORMAT_H */
