/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * out_json.c -- the JSON report.  Its fields are a contract that scripts,
 * the tshark tap and the GUI rely on: add fields freely, never rename.
 */
#include "expose.h"
#include "report.h"

#include <stdlib.h>

void xp_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void json_port(FILE *out, int32_t port)
{
    if (port == EXPOSE_ANY_PORT)
        fputs("\"*\"", out);
    else
        fprintf(out, "%d", (int)port);
}

static void json_item(FILE *out, const expose_item *it)
{
    char buf[EXPOSE_ITEM_TEXT_MAX], a[64];
    fprintf(out, "{\"activity\":\"%s\",\"proto\":\"%s\",\"client\":",
            it->activity == EXPOSE_NEW ? "new" : "present", expose_proto_name(it->proto));
    xp_json_string(out, it->generic ? "*" : expose_addr_text(it->ip_version, it->client, a, sizeof a));
    fputs(",\"client_port\":", out);
    json_port(out, it->generic ? EXPOSE_ANY_PORT : it->client_port);
    fputs(",\"server\":", out);
    xp_json_string(out, expose_addr_text(it->ip_version, it->server, a, sizeof a));
    fputs(",\"server_port\":", out);
    json_port(out, it->server_port);
    fprintf(out, ",\"generic\":%s,\"windows\":%u,\"text\":", it->generic ? "true" : "false",
            it->windows);
    xp_json_string(out, expose_item_text(it, buf, sizeof buf));
    fputc('}', out);
}

static void json_params(FILE *out, const expose_params *p)
{
    fprintf(out, "\"params\":{\"window\":%.17g,\"k\":%u,\"alpha\":%.17g,\"beta\":%u,"
            "\"learn_ports\":%u,\"idle\":%.17g,\"max_present\":%.17g,\"ratio\":%.17g,"
            "\"min_windows\":%u,\"min_joint\":%u,\"profile_interval\":%.17g,\"profile_aging\":%.17g,"
            "\"scan_ports\":%u,\"scan_hosts\":%u,\"max_conns\":%u,\"max_events\":%u}",
            p->window, p->k, p->alpha, p->beta, p->learn_ports,
            p->idle > 0 ? p->idle : p->window, p->max_present, p->ratio, p->min_windows, p->min_joint,
            p->profile_interval, p->profile_aging, p->scan_ports, p->scan_hosts,
            p->max_conns, p->max_events);
}

static void json_summary(FILE *out, const expose_summary *s)
{
    fprintf(out, "\"summary\":{\"packets\":%llu,\"mined_packets\":%llu,\"flows\":%llu,"
            "\"connections\":%llu,\"windows\":%llu,\"generics\":%llu,\"selected\":%llu,"
            "\"dropped_long\":%llu,\"candidates\":%llu,\"rules\":%llu,\"clusters\":%llu,"
            "\"skipped\":{\"not_ip\":%llu,\"other_proto\":%llu,\"fragment\":%llu,"
            "\"malformed\":%llu,\"link_type\":%llu},\"untracked\":%llu,\"covered_until\":%.9f,"
            "\"reordered\":%llu,\"max_reorder\":%.9g,"
            "\"first\":%.9f,\"last\":%.9f,\"mine_seconds\":%.6f,\"learned_ports\":[",
            (unsigned long long)s->packets, (unsigned long long)s->ip_packets,
            (unsigned long long)s->flows, (unsigned long long)s->connections,
            (unsigned long long)s->windows, (unsigned long long)s->generics,
            (unsigned long long)s->selected, (unsigned long long)s->dropped_long,
            (unsigned long long)s->candidates, (unsigned long long)s->rules,
            (unsigned long long)s->clusters,
            (unsigned long long)s->skipped[EXPOSE_SKIP_NOT_IP],
            (unsigned long long)s->skipped[EXPOSE_SKIP_OTHER_PROTO],
            (unsigned long long)s->skipped[EXPOSE_SKIP_FRAGMENT],
            (unsigned long long)s->skipped[EXPOSE_SKIP_MALFORMED],
            (unsigned long long)s->skipped[EXPOSE_SKIP_LINKTYPE],
            (unsigned long long)s->untracked, s->untracked ? s->covered_until : s->last,
            (unsigned long long)s->reordered, s->max_reorder, s->first, s->last,
            s->mine_seconds);
    for (uint32_t i = 0; i < s->nlearned && i < 64; i++)
        fprintf(out, "%s%u", i ? "," : "", s->learned[i]);
    fputs("],\"stop_reason\":", out);
    if (s->untracked)
        xp_json_string(out, s->stop_reason);
    else
        fputs("null", out);
    fputs("}", out);
}

static void json_rules(const expose_result *r, FILE *out)
{
    fputs(",\"rules\":[", out);
    for (uint32_t i = 0; i < r->nrules; i++) {
        const expose_rule *x = &r->rules[i];
        char *f = expose_rule_filter(r, i);
        fprintf(out, "%s\n{\"id\":%u,\"lhs\":", i ? "," : "", x->id);
        json_item(out, &r->items[x->lhs]);
        fputs(",\"rhs\":", out);
        json_item(out, &r->items[x->rhs]);
        fprintf(out, ",\"score\":%.17g,\"support\":", x->score);
        if (x->support >= 0)
            fprintf(out, "%ld", x->support);
        else
            fputs("null", out);
        fprintf(out, ",\"p_lhs\":%.17g,\"p_rhs\":%.17g,\"p_both\":%.17g,\"cluster\":%u,"
                "\"bridge\":%s,\"filter\":", x->p_lhs, x->p_rhs, x->p_both, x->cluster,
                x->bridge ? "true" : "false");
        xp_json_string(out, f ? f : "");
        fputc('}', out);
        free(f);
    }
    fputs("]", out);
}

static void json_clusters(const expose_result *r, FILE *out)
{
    fputs(",\"clusters\":[", out);
    for (uint32_t c = 0; c < r->nclusters; c++) {
        const expose_cluster *cl = &r->clusters[c];
        char *f = expose_cluster_filter(r, c);
        fprintf(out, "%s\n{\"id\":%u,\"score\":%.17g,\"items\":%u,\"rules\":[", c ? "," : "",
                cl->id, cl->score, cl->nitems);
        for (uint32_t i = 0; i < cl->nrules; i++)
            fprintf(out, "%s%u", i ? "," : "", cl->rules[i]);
        fputs("],\"filter\":", out);
        xp_json_string(out, f ? f : "");
        fputc('}', out);
        free(f);
    }
    fputs("]", out);
}

int expose_write_json(const expose_result *r, FILE *out)
{
    fprintf(out, "{\"tool\":\"expose\",\"version\":\"%s\",", EXPOSE_VERSION);
    json_params(out, &r->params);
    fputc(',', out);
    json_summary(out, &r->summary);
    json_rules(r, out);
    json_clusters(r, out);
    xp_write_profiles_json(r, out);
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}
