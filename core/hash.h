/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hash.h -- the integer mixing used by every hash table of the core.
 *
 * All tables are open-addressing with power-of-two sizes, so the low bits of
 * the hash pick the slot: the mixer must spread every input bit into them.
 */
#ifndef EXPOSE_HASH_H
#define EXPOSE_HASH_H

#include <stdint.h>

/* A multiply/xor-shift finaliser: two odd 64-bit multipliers and three
 * shifts give full avalanche at a few cycles per word. */
static inline uint64_t xp_mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    x ^= x >> 33;
    return x;
}

/* Fold one more word into a running hash. */
static inline uint64_t xp_hash_step(uint64_t h, uint64_t word)
{
    return xp_mix64(h ^ (word + 0x9e3779b97f4a7c15ULL + (h << 6)));
}

#endif
