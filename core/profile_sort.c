/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_sort.c -- LSD radix sorts of 64-bit keys.
 *
 * Profiles count distinct graphlet edges and group scan probes by sorting
 * flat arrays of packed keys; a comparison sort would dominate the run time
 * at a million flows.  Byte digits keep the histograms in L1; digits that
 * are the same for every key (common: keys use few of their 64 bits) are
 * skipped after one counting pass.  Short arrays use insertion sort.
 */
#include "profile_int.h"

#include <string.h>

#define SMALL 48

unsigned xp_bits_for(uint64_t n)
{
    unsigned b = 1;
    while (b < 64 && (n - 1) >> b)
        b++;
    return b;
}

static void insertion(uint64_t *k, uint32_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = k[i];
        uint32_t xi = idx ? idx[i] : 0;
        size_t j = i;
        for (; j > 0 && k[j - 1] > x; j--) {
            k[j] = k[j - 1];
            if (idx)
                idx[j] = idx[j - 1];
        }
        k[j] = x;
        if (idx)
            idx[j] = xi;
    }
}

/* One counting pass for all digits: hist[d][byte]. */
static void histograms(const uint64_t *k, size_t n, unsigned passes, size_t (*hist)[256])
{
    memset(hist, 0, passes * sizeof *hist);
    for (size_t i = 0; i < n; i++) {
        uint64_t x = k[i];
        for (unsigned d = 0; d < passes; d++)
            hist[d][(x >> (8 * d)) & 0xff]++;
    }
}

static void radix(uint64_t *k, uint32_t *idx, uint64_t *kt, uint32_t *it, size_t n,
                  unsigned bits)
{
    size_t hist[8][256];
    unsigned passes = (bits + 7) / 8;
    if (passes > 8)
        passes = 8;
    histograms(k, n, passes, hist);
    uint64_t *src = k, *dst = kt;
    uint32_t *isrc = idx, *idst = it;
    for (unsigned d = 0; d < passes; d++) {
        size_t *h = hist[d];
        if (h[(src[0] >> (8 * d)) & 0xff] == n)
            continue;   /* every key has this digit */
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = h[b];
            h[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t pos = h[(src[i] >> (8 * d)) & 0xff]++;
            dst[pos] = src[i];
            if (idx)
                idst[pos] = isrc[i];
        }
        uint64_t *t = src; src = dst; dst = t;
        uint32_t *ti = isrc; isrc = idst; idst = ti;
    }
    if (src != k) {
        memcpy(k, src, n * sizeof *k);
        if (idx)
            memcpy(idx, isrc, n * sizeof *idx);
    }
}

void xp_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n, unsigned bits)
{
    if (n < SMALL)
        insertion(keys, NULL, n);
    else
        radix(keys, NULL, tmp, NULL, n, bits);
}

void xp_sort_u64_idx(uint64_t *keys, uint32_t *idx, uint64_t *ktmp, uint32_t *itmp,
                     size_t n, unsigned bits)
{
    if (n < SMALL)
        insertion(keys, idx, n);
    else
        radix(keys, idx, ktmp, itmp, n, bits);
}
