/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * keymap.h -- an open-addressing hash map from a 128-bit key to a 32-bit
 * value.  Every table of the miner that is not on the per-packet path (IP
 * interning, flows, generics, endpoints, rule pairs) is one of these: keys
 * are packed into two 64-bit words by the caller.
 */
#ifndef EXPOSE_KEYMAP_H
#define EXPOSE_KEYMAP_H

#include <stdint.h>
#include <stddef.h>

#define XP_KEYMAP_MISSING UINT32_MAX

typedef struct xp_keymap_slot {
    uint64_t k1, k2;
    uint32_t value;
    uint32_t used;
} xp_keymap_slot;

typedef struct xp_keymap {
    xp_keymap_slot *slots;
    size_t cap;        /* power of two */
    size_t count;
} xp_keymap;

int  xp_keymap_init(xp_keymap *m, size_t expected);
void xp_keymap_free(xp_keymap *m);

/* Value of (k1,k2), or XP_KEYMAP_MISSING. */
uint32_t xp_keymap_get(const xp_keymap *m, uint64_t k1, uint64_t k2);

/* Slot holding the value of (k1,k2); a new key gets value `fresh` and
 * *created = 1.  NULL when memory runs out.  The pointer is valid until the
 * next insertion. */
uint32_t *xp_keymap_put(xp_keymap *m, uint64_t k1, uint64_t k2, uint32_t fresh,
                        int *created);

#endif
