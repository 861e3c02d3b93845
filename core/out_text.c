/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * out_text.c -- the human-readable report: summary, then clusters strongest
 * first, each with its rules in the paper's notation and a display filter;
 * then host profiles and scans.
 */
#include "expose.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

const char *expose_proto_name(uint8_t proto)
{
    switch (proto) {
    case EXPOSE_TCP: return "tcp";
    case EXPOSE_UDP: return "udp";
    case EXPOSE_ICMP: return "icmp";
    case EXPOSE_ICMPV6: return "icmpv6";
    default: return "?";
    }
}

static void item_line(FILE *out, const expose_item *it)
{
    char t[EXPOSE_ITEM_TEXT_MAX];
    fprintf(out, "%s (%s %s)", expose_item_text(it, t, sizeof t), expose_proto_name(it->proto),
            it->activity == EXPOSE_NEW ? "new" : "present");
}

static void write_summary(const expose_result *r, FILE *out)
{
    const expose_summary *s = &r->summary;
    const expose_params *p = &r->params;
    fprintf(out, "eXpose %s: communication rules (window %g s, K %u, alpha %g nats, beta %u)\n",
            EXPOSE_VERSION, p->window, p->k, p->alpha, p->beta);
    fprintf(out, "Trace: %llu packets, %llu mined, %.1f s in %llu windows; %llu connections, "
            "%llu flows, %llu generics\n",
            (unsigned long long)s->packets, (unsigned long long)s->ip_packets,
            s->last - s->first, (unsigned long long)s->windows,
            (unsigned long long)s->connections, (unsigned long long)s->flows,
            (unsigned long long)s->generics);
    fprintf(out, "Mined: %llu flows and generics (%llu present in over %g%% of windows "
            "dropped), %llu candidate rules, %llu rules in %llu cluster%s, %.3f s\n",
            (unsigned long long)s->selected, (unsigned long long)s->dropped_long,
            p->max_present * 100, (unsigned long long)s->candidates,
            (unsigned long long)s->rules, (unsigned long long)s->clusters,
            s->clusters == 1 ? "" : "s", s->mine_seconds);
    if (s->untracked)
        fprintf(out, "WARNING: %s: only the first %.1f s were mined; the last %llu packets "
                "were counted, not mined\n", s->stop_reason, s->covered_until - s->first,
                (unsigned long long)s->untracked);
    if (s->nlearned) {
        fprintf(out, "Ports learned from the trace:");
        for (uint32_t i = 0; i < s->nlearned && i < 64; i++)
            fprintf(out, " %u", s->learned[i]);
        fprintf(out, s->nlearned > 64 ? " ...\n" : "\n");
    }
}

static void write_rule(const expose_result *r, FILE *out, const expose_rule *rule)
{
    fprintf(out, "  #%-4u %.4f  ", rule->id, rule->score);
    item_line(out, &r->items[rule->lhs]);
    fprintf(out, " => ");
    item_line(out, &r->items[rule->rhs]);
    fprintf(out, "\n              ");
    if (rule->support >= 0)
        fprintf(out, "support %ld  ", rule->support);
    fprintf(out, "P(X)=%.3f P(Y)=%.3f P(X,Y)=%.3f%s\n", rule->p_lhs, rule->p_rhs,
            rule->p_both, rule->bridge ? "  (bridge: weak link to another cluster)" : "");
}

static void write_clusters(const expose_result *r, FILE *out)
{
    if (!r->nrules) {
        fprintf(out, "\nNo rule scored above alpha = %g nats.\n", r->params.alpha);
        return;
    }
    for (uint32_t c = 0; c < r->nclusters; c++) {
        const expose_cluster *cl = &r->clusters[c];
        char *f = expose_cluster_filter(r, c);
        fprintf(out, "\nCluster %u: %u rule%s, %u activities, total score %.4f\n", cl->id,
                cl->nrules, cl->nrules == 1 ? "" : "s", cl->nitems, cl->score);
        fprintf(out, "  filter: %s\n", f ? f : "(out of memory)");
        free(f);
        for (uint32_t i = 0; i < cl->nrules; i++)
            write_rule(r, out, &r->rules[cl->rules[i] - 1]);
    }
}

int expose_write_text(const expose_result *r, FILE *out)
{
    write_summary(r, out);
    write_clusters(r, out);
    xp_write_profiles_text(r, out);
    return ferror(out) ? -1 : 0;
}
