/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fuzz_common.h -- what every fuzz target does with a mined result: check
 * that the model is consistent (a wrong answer must not pass silently) and
 * run every writer and every display-filter builder over it.
 *
 * Included by exactly one .c file per target; everything is static.
 */
#ifndef EXPOSE_FUZZ_COMMON_H
#define EXPOSE_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expose.h"

/* The libFuzzer entry point; replay.c calls it too. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding: abort so that libFuzzer (or the replay
 * driver under CTest) reports it with the input that caused it. */
#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz: %s:%d: invariant failed: %s\n", __FILE__,      \
                    __LINE__, #cond);                                             \
            abort();                                                              \
        }                                                                         \
    } while (0)

/* Where reports go: /dev/null, opened once. */
static inline FILE *fuzz_sink(void)
{
    static FILE *sink;
    if (!sink) {
        sink = fopen("/dev/null", "w");
        if (!sink) {
            perror("fuzz: /dev/null");
            abort();
        }
    }
    return sink;
}

static inline void fuzz_check_prob(double p)
{
    FUZZ_CHECK(isfinite(p) && p >= 0.0 && p <= 1.0 + 1e-9);
}

/* The result model: indexes in range, ids in order, numbers finite. */
static inline void fuzz_check_result(const expose_result *r)
{
    FUZZ_CHECK(r->nitems == 0 || r->items != NULL);
    FUZZ_CHECK(r->nrules == 0 || r->rules != NULL);
    FUZZ_CHECK(r->nclusters == 0 || r->clusters != NULL);
    FUZZ_CHECK(r->summary.rules == r->nrules);
    FUZZ_CHECK(r->summary.clusters == r->nclusters);
    FUZZ_CHECK(r->summary.ip_packets <= r->summary.packets);
    FUZZ_CHECK(r->summary.untracked <= r->summary.packets);
    for (uint32_t i = 0; i < r->nitems; i++) {
        const expose_item *it = &r->items[i];
        FUZZ_CHECK(it->activity == EXPOSE_PRESENT || it->activity == EXPOSE_NEW);
        FUZZ_CHECK(it->ip_version == 4 || it->ip_version == 6);
        FUZZ_CHECK(it->cluster <= r->nclusters);
        FUZZ_CHECK(it->server_port >= EXPOSE_ANY_PORT && it->server_port <= 65535);
        FUZZ_CHECK(it->client_port >= EXPOSE_ANY_PORT && it->client_port <= 65535);
        FUZZ_CHECK(it->windows <= r->summary.windows);
    }
    for (uint32_t i = 0; i < r->nrules; i++) {
        const expose_rule *ru = &r->rules[i];
        FUZZ_CHECK(ru->id == i + 1);
        FUZZ_CHECK(ru->lhs < r->nitems && ru->rhs < r->nitems && ru->lhs != ru->rhs);
        FUZZ_CHECK(isfinite(ru->score) && ru->score > r->params.alpha);
        FUZZ_CHECK(ru->cluster >= 1 && ru->cluster <= r->nclusters);
        FUZZ_CHECK(ru->support >= -1);
        fuzz_check_prob(ru->p_lhs);
        fuzz_check_prob(ru->p_rhs);
        fuzz_check_prob(ru->p_both);
        FUZZ_CHECK(ru->p_both <= ru->p_lhs + 1e-9 && ru->p_both <= ru->p_rhs + 1e-9);
        if (i > 0)
            FUZZ_CHECK(ru->score <= r->rules[i - 1].score);
    }
    uint32_t in_clusters = 0;
    for (uint32_t c = 0; c < r->nclusters; c++) {
        const expose_cluster *cl = &r->clusters[c];
        FUZZ_CHECK(cl->id == c + 1);
        FUZZ_CHECK(cl->nrules >= 1 && cl->rules != NULL);
        FUZZ_CHECK(isfinite(cl->score));
        for (uint32_t j = 0; j < cl->nrules; j++) {
            FUZZ_CHECK(cl->rules[j] >= 1 && cl->rules[j] <= r->nrules);
            FUZZ_CHECK(r->rules[cl->rules[j] - 1].cluster == cl->id);
        }
        in_clusters += cl->nrules;
    }
    FUZZ_CHECK(in_clusters == r->nrules);
    for (uint32_t i = 0; i < r->nprofiles; i++) {
        const expose_profile *p = &r->profiles[i];
        FUZZ_CHECK(p->ip_version == 4 || p->ip_version == 6);
        FUZZ_CHECK(p->role != NULL);
        FUZZ_CHECK(p->nsignificant == 0 || p->significant != NULL);
        for (uint32_t j = 0; j < p->nsignificant; j++) {
            const expose_profile_node *n = &p->significant[j];
            if (n->column == EXPOSE_COL_DST_IP)
                FUZZ_CHECK(n->value == UINT32_MAX || n->value < r->nprofiles);
        }
    }
    for (uint32_t i = 0; i < r->nscans; i++)
        FUZZ_CHECK(r->scans[i].ip_version == 4 || r->scans[i].ip_version == 6);
}

static inline void fuzz_free_filter(char *f)
{
    /* NULL only on out-of-memory, which the fuzzer's RSS limit would report. */
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(f[0] != '\0');
    free(f);
}

/* Which outputs fuzz_mine writes (writing is most of the time spent on
 * an input with many rules, so a target may pick some per input). */
enum { FUZZ_OUT_TEXT = 1, FUZZ_OUT_JSON = 2, FUZZ_OUT_DOT = 4, FUZZ_OUT_FILTERS = 8,
       FUZZ_OUT_ALL = 15 };

/* The outputs of the model named in `which`. */
static inline void fuzz_write(const expose_result *r, unsigned which)
{
    FILE *sink = fuzz_sink();
    if (which & FUZZ_OUT_TEXT)
        FUZZ_CHECK(expose_write_text(r, sink) == 0);
    if (which & FUZZ_OUT_JSON)
        FUZZ_CHECK(expose_write_json(r, sink) == 0);
    if (which & FUZZ_OUT_DOT)
        FUZZ_CHECK(expose_write_dot(r, sink) == 0);
    fflush(sink);
    if (!(which & FUZZ_OUT_FILTERS))
        return;

    char buf[EXPOSE_ITEM_TEXT_MAX];
    for (uint32_t i = 0; i < r->nitems; i++) {
        const char *text = expose_item_text(&r->items[i], buf, sizeof buf);
        FUZZ_CHECK(text != NULL && strlen(text) < sizeof buf);
        fuzz_free_filter(expose_item_filter(&r->items[i]));
    }
    for (uint32_t i = 0; i < r->nrules; i++)
        fuzz_free_filter(expose_rule_filter(r, i));
    for (uint32_t i = 0; i < r->nclusters; i++)
        fuzz_free_filter(expose_cluster_filter(r, i));
    for (uint32_t i = 0; i < r->nprofiles; i++)
        fuzz_free_filter(expose_host_filter(r->profiles[i].ip_version, r->profiles[i].host));
    /* Out of range: NULL, not a crash. */
    FUZZ_CHECK(expose_rule_filter(r, r->nrules) == NULL);
    FUZZ_CHECK(expose_cluster_filter(r, r->nclusters) == NULL);
}

/* Mine, check and write; returns 1 when there was a result. */
static inline int fuzz_mine(expose_engine *e, unsigned which)
{
    expose_result *r = expose_engine_mine(e);
    if (!r) {
        /* A refusal always says why. */
        FUZZ_CHECK(expose_engine_error(e)[0] != '\0');
        return 0;
    }
    fuzz_check_result(r);
    fuzz_write(r, which);
    expose_result_free(r);
    return 1;
}

#endif /* EXPOSE_FUZZ_COMMON_H */
