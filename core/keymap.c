/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * keymap.c -- linear-probing hash map, 128-bit keys, 32-bit values.
 * Load factor stays at or below 1/2 so probe runs stay short.
 */
#include "keymap.h"
#include "hash.h"

#include <stdlib.h>

static size_t slot_of(uint64_t k1, uint64_t k2, size_t mask)
{
    return (size_t)xp_hash_step(xp_mix64(k1), k2) & mask;
}

int xp_keymap_init(xp_keymap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2)
        cap <<= 1;
    m->slots = calloc(cap, sizeof *m->slots);
    m->cap = cap;
    m->count = 0;
    return m->slots ? 0 : -1;
}

void xp_keymap_free(xp_keymap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

uint32_t xp_keymap_get(const xp_keymap *m, uint64_t k1, uint64_t k2)
{
    size_t mask = m->cap - 1;
    for (size_t i = slot_of(k1, k2, mask);; i = (i + 1) & mask) {
        const xp_keymap_slot *s = &m->slots[i];
        if (!s->used)
            return XP_KEYMAP_MISSING;
        if (s->k1 == k1 && s->k2 == k2)
            return s->value;
    }
}

static int grow(xp_keymap *m)
{
    xp_keymap bigger;
    if (xp_keymap_init(&bigger, m->cap) < 0)   /* doubles the capacity */
        return -1;
    size_t mask = bigger.cap - 1;
    for (size_t i = 0; i < m->cap; i++) {
        const xp_keymap_slot *s = &m->slots[i];
        if (!s->used)
            continue;
        size_t j = slot_of(s->k1, s->k2, mask);
        while (bigger.slots[j].used)
            j = (j + 1) & mask;
        bigger.slots[j] = *s;
    }
    bigger.count = m->count;
    free(m->slots);
    *m = bigger;
    return 0;
}

uint32_t *xp_keymap_put(xp_keymap *m, uint64_t k1, uint64_t k2, uint32_t fresh,
                        int *created)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
        return NULL;
    size_t mask = m->cap - 1;
    size_t i = slot_of(k1, k2, mask);
    for (;; i = (i + 1) & mask) {
        xp_keymap_slot *s = &m->slots[i];
        if (!s->used)
            break;
        if (s->k1 == k1 && s->k2 == k2) {
            if (created)
                *created = 0;
            return &s->value;
        }
    }
    xp_keymap_slot *s = &m->slots[i];
    s->k1 = k1;
    s->k2 = k2;
    s->value = fresh;
    s->used = 1;
    m->count++;
    if (created)
        *created = 1;
    return &s->value;
}
