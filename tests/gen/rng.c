/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * rng.c -- a small PRNG of our own (splitmix64 seeding, xoshiro256**
 * generation) so traces are byte-identical on every machine: the C
 * library's rand() and log() differ between platforms, these do not.
 */
#include <math.h>

#include "gen.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Each scenario draws from its own stream, so a scenario generates the
 * same packets alone and inside "all". */
void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t rng_below(rng *r, uint32_t n)
{
    return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

int64_t rng_range_ns(rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo));
}

/* Natural logarithm from +, -, *, / only (each exactly rounded by IEEE
 * 754), so it gives the same bits on every platform, unlike libm's log.
 * frexp() is exact.  The series is atanh's: ln m = 2 atanh((m-1)/(m+1)). */
double gen_ln(double x)
{
    int e;
    double m = frexp(x, &e);                 /* x = m * 2^e, m in [0.5, 1) */
    if (m < 0.70710678118654752) {
        m *= 2.0;
        e--;
    }
    double s = (m - 1.0) / (m + 1.0);        /* |s| < 0.172 */
    double s2 = s * s, term = s, sum = 0.0;
    for (int k = 1; k <= 41; k += 2) {
        sum += term / k;
        term *= s2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

/* Exponential gap for a Poisson process with the given mean (seconds). */
int64_t rng_exp_ns(rng *r, double mean_s)
{
    double u = 1.0 - rng_unit(r);            /* (0, 1]: ln never sees 0 */
    return (int64_t)(-gen_ln(u) * mean_s * 1e9);
}
