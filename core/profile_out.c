/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * profile_out.c -- host profiles, popular significant nodes and scans in
 * the text and JSON reports.
 *
 * Text: "Host profiles" (busiest TEXT_HOSTS hosts, one block each, the
 * significant set in the paper's words: "dst ports: 22 (ssh), 80 (http)"),
 * "Most popular significant nodes" (PAM'07 Table 2) and "Scans".
 * JSON (after "clusters"): "profile_intervals", "profiles" (every profiled
 * host), "popular", "scans".  In a significant node, "value" is the port
 * number for src_port/dst_port, the address string for dst_ip and the
 * protocol name ("tcp", "udp", "icmp", "icmpv6") for proto, whose number
 * is in "number".  An address scan's "target" is its port number (the
 * string "icmp"/"icmpv6" for echo sweeps), a port scan's the address.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_HOSTS 50      /* profiles listed in the text report */
#define TEXT_POPULAR 10
#define JSON_POPULAR 50
#define TEXT_IPS 5         /* destination IPs listed per host */
#define TEXT_PORTS 12      /* ports listed per column and host */

static const char *column_name(int col)
{
    switch (col) {
    case EXPOSE_COL_PROTO: return "proto";
    case EXPOSE_COL_DST_IP: return "dst_ip";
    case EXPOSE_COL_SRC_PORT: return "src_port";
    default: return "dst_port";
    }
}

static const char *column_words(int col, int plural)
{
    switch (col) {
    case EXPOSE_COL_PROTO: return plural ? "protocols" : "protocol";
    case EXPOSE_COL_DST_IP: return plural ? "dst IPs" : "dst IP";
    case EXPOSE_COL_SRC_PORT: return plural ? "src ports" : "src port";
    default: return plural ? "dst ports" : "dst port";
    }
}

/* The service list lives in the core's ports.c; one prototype suffices. */
const char *xp_port_service_name(uint32_t port);

static int is_port(int col)
{
    return col == EXPOSE_COL_SRC_PORT || col == EXPOSE_COL_DST_PORT;
}

static double intervals_of(const expose_result *r)
{
    double span = r->summary.last - r->summary.first;
    double t = r->params.profile_interval > 0 ? r->params.profile_interval : 1;
    return (double)(long long)(span / t) + 1;
}

/* "80 (http)", "tcp", "10.0.0.1" */
static void node_text(const expose_profile_node *n, char *buf, size_t len)
{
    if (n->column == EXPOSE_COL_DST_IP) {
        expose_addr_text(n->ip_version, n->addr, buf, len);
    } else if (n->column == EXPOSE_COL_PROTO) {
        snprintf(buf, len, "%s", expose_proto_name((uint8_t)n->value));
    } else {
        const char *svc = xp_port_service_name(n->value);
        if (svc)
            snprintf(buf, len, "%u (%s)", n->value, svc);
        else
            snprintf(buf, len, "%u", n->value);
    }
}

/* ------------------------------------------------------------------ text */

/* One column of a profile: "dst ports: 80 (http), 443 (https)". */
static void text_column(const expose_profile *p, int col, int mark, FILE *out)
{
    uint32_t n = 0, shown = 0;
    for (uint32_t i = 0; i < p->nsignificant; i++)
        n += (int)p->significant[i].column == col;
    if (!n)
        return;
    uint32_t limit = col == EXPOSE_COL_DST_IP ? TEXT_IPS : is_port(col) ? TEXT_PORTS : n;
    fprintf(out, "    %s:", column_words(col, n > 1));
    for (uint32_t i = 0; i < p->nsignificant; i++) {
        const expose_profile_node *s = &p->significant[i];
        if ((int)s->column != col || shown >= limit)
            continue;
        char t[80];
        node_text(s, t, sizeof t);
        fprintf(out, "%s %s", shown ? "," : "", t);
        if (!is_port(col))
            fprintf(out, " (%u)", s->degree);
        if (mark && !s->accepted)
            fputc('*', out);
        shown++;
    }
    if (n > shown)
        fprintf(out, " (+%u more in the JSON report)", n - shown);
    fputc('\n', out);
}

/* Degree series of up to three port knots with a series, accepted ones
 * first (they are the profile proper). */
static void text_series(const expose_profile *p, FILE *out)
{
    int shown = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < p->nsignificant && shown < 3; i++) {
            const expose_profile_node *s = &p->significant[i];
            if (!is_port(s->column) || s->intervals < 2 || s->accepted != !pass)
                continue;
            char t[80];
            node_text(s, t, sizeof t);
            fprintf(out, "%s %s %s: median %g, p90 %g", shown ? ";" : "    degree per interval:",
                    s->column == EXPOSE_COL_SRC_PORT ? "src" : "dst", t, s->deg_median,
                    s->deg_p90);
            if (s->deg_outliers)
                fprintf(out, ", %u outlier%s", s->deg_outliers, s->deg_outliers == 1 ? "" : "s");
            shown++;
        }
    if (shown)
        fputc('\n', out);
}

static void text_profile(const expose_profile *p, int mark, FILE *out)
{
    char a[64];
    fprintf(out, "\n  %s: %s, %u flow%s; graphlet %u nodes, %u significant, profile %u nodes; "
            "compression %.1f%%, coverage %.1f%%",
            expose_addr_text(p->ip_version, p->host, a, sizeof a), p->role, p->flows,
            p->flows == 1 ? "" : "s", p->graphlet_nodes, p->significant_total,
            p->profile_nodes, 100 * p->compression, 100 * p->coverage);
    if (p->stability >= 0)
        fprintf(out, "; stability %.2f", p->stability);
    fprintf(out, "; %u interval%s, %s\n", p->intervals, p->intervals == 1 ? "" : "s",
            p->accepted ? "accepted" : "not yet accepted");
    static const int order[] = { EXPOSE_COL_SRC_PORT, EXPOSE_COL_DST_PORT, EXPOSE_COL_DST_IP,
                                 EXPOSE_COL_PROTO };
    for (int c = 0; c < 4; c++)
        text_column(p, order[c], mark, out);
    text_series(p, out);
}

static void text_profiles(const expose_result *r, FILE *out)
{
    double k = intervals_of(r);
    fprintf(out, "\nHost profiles (graphlets src IP > proto > dst IP > src port > dst port; "
            "%u hosts with 2 or more flows; interval %g s, %.0f interval%s)\n",
            r->nprofiles, r->params.profile_interval, k, k == 1 ? "" : "s");
    if (k < 2)
        fprintf(out, "  The trace spans fewer than two intervals: no profile is accepted yet "
                "(delayed-accept needs a node significant in two consecutive intervals).\n");
    else
        fprintf(out, "  * = not (or no longer) accepted: delayed-accept needs two consecutive "
                "intervals, aging drops a node idle %g s.\n", r->params.profile_aging);
    uint32_t n = r->nprofiles < TEXT_HOSTS ? r->nprofiles : TEXT_HOSTS;
    for (uint32_t i = 0; i < n; i++)
        text_profile(&r->profiles[i], k >= 2, out);
    if (r->nprofiles > n)
        fprintf(out, "\n  ... and %u more hosts (all are in the JSON report)\n", r->nprofiles - n);
}

/* ------------------------------------------------------------- popular */

static int node_identity(const expose_profile_node *x, const expose_profile_node *y)
{
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    if (x->column == EXPOSE_COL_DST_IP) {
        if (x->ip_version != y->ip_version)
            return x->ip_version < y->ip_version ? -1 : 1;
        return memcmp(x->addr, y->addr, 16);
    }
    return x->value < y->value ? -1 : x->value > y->value;
}

static int by_identity(const void *a, const void *b)
{
    return node_identity(*(const expose_profile_node *const *)a,
                         *(const expose_profile_node *const *)b);
}

static int by_popularity(const void *a, const void *b)
{
    const expose_profile_node *x = *(const expose_profile_node *const *)a;
    const expose_profile_node *y = *(const expose_profile_node *const *)b;
    if (x->hosts != y->hosts)
        return x->hosts > y->hosts ? -1 : 1;
    return node_identity(x, y);
}

/* Distinct significant nodes (protocols aside), most popular first. */
static const expose_profile_node **popular(const expose_result *r, uint32_t *count)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->nprofiles; i++)
        n += r->profiles[i].nsignificant;
    const expose_profile_node **v = malloc((n + 1) * sizeof *v);
    *count = 0;
    if (!v)
        return NULL;
    n = 0;
    for (uint32_t i = 0; i < r->nprofiles; i++)
        for (uint32_t j = 0; j < r->profiles[i].nsignificant; j++)
            if (r->profiles[i].significant[j].column != EXPOSE_COL_PROTO)
                v[n++] = &r->profiles[i].significant[j];
    qsort(v, n, sizeof *v, by_identity);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || node_identity(v[u - 1], v[i]))
            v[u++] = v[i];
    qsort(v, u, sizeof *v, by_popularity);
    *count = (uint32_t)u;
    return v;
}

static void text_popular(const expose_result *r, FILE *out)
{
    uint32_t n;
    const expose_profile_node **v = popular(r, &n);
    fprintf(out, "\nMost popular significant nodes (profiles holding them)\n");
    if (!n)
        fprintf(out, "  none\n");
    for (uint32_t i = 0; v && i < n && i < TEXT_POPULAR; i++) {
        char t[80];
        node_text(v[i], t, sizeof t);
        fprintf(out, "  %-9s %-28s %u host%s\n", column_words(v[i]->column, 0), t, v[i]->hosts,
                v[i]->hosts == 1 ? "" : "s");
    }
    free(v);
}

/* ---------------------------------------------------------------- scans */

static void scan_target_text(const expose_scan *s, char *buf, size_t len)
{
    if (s->kind == EXPOSE_SCAN_PORT) {
        expose_addr_text(s->ip_version, s->target, buf, len);
        return;
    }
    if (s->proto != EXPOSE_TCP && s->proto != EXPOSE_UDP) {
        snprintf(buf, len, "%s", expose_proto_name(s->proto));
        return;
    }
    const char *svc = xp_port_service_name(s->port);
    if (svc)
        snprintf(buf, len, "%s port %u (%s)", expose_proto_name(s->proto), s->port, svc);
    else
        snprintf(buf, len, "%s port %u", expose_proto_name(s->proto), s->port);
}

static void text_scans(const expose_result *r, FILE *out)
{
    fprintf(out, "\nScans (port scan: %u or more ports of one address; address scan: %u or more "
            "addresses on one port)\n", r->params.scan_ports, r->params.scan_hosts);
    if (!r->nscans)
        fprintf(out, "  none found\n");
    for (uint32_t i = 0; i < r->nscans; i++) {
        const expose_scan *s = &r->scans[i];
        char h[64], t[96];
        expose_addr_text(s->ip_version, s->host, h, sizeof h);
        scan_target_text(s, t, sizeof t);
        if (s->kind == EXPOSE_SCAN_PORT)
            fprintf(out, "  port scan     %s -> %s: %u %s ports", h, t, s->count,
                    expose_proto_name(s->proto));
        else
            fprintf(out, "  address scan  %s -> %s: %u addresses", h, t, s->count);
        fprintf(out, ", %u connections (%u unanswered), +%.3f s to +%.3f s (%.3f s)\n",
                s->connections, s->unanswered, s->first - r->summary.first,
                s->last - r->summary.first, s->last - s->first);
    }
}

void xp_write_profiles_text(const expose_result *r, FILE *out)
{
    text_profiles(r, out);
    text_popular(r, out);
    text_scans(r, out);
}

/* ----------------------------------------------------------------- JSON */

static void json_value(const expose_result *r, const expose_profile_node *n, FILE *out)
{
    char a[64];
    fputs(",\"value\":", out);
    if (n->column == EXPOSE_COL_DST_IP) {
        xp_json_string(out, expose_addr_text(n->ip_version, n->addr, a, sizeof a));
        if (n->value < r->nprofiles)
            fprintf(out, ",\"profile\":%u", n->value);
        else
            fputs(",\"profile\":null", out);
    } else if (n->column == EXPOSE_COL_PROTO) {
        xp_json_string(out, expose_proto_name((uint8_t)n->value));
        fprintf(out, ",\"number\":%u", n->value);
    } else {
        const char *svc = xp_port_service_name(n->value);
        fprintf(out, "%u,\"service\":", n->value);
        if (svc)
            xp_json_string(out, svc);
        else
            fputs("null", out);
    }
}

static void json_node(const expose_result *r, const expose_profile_node *n, FILE *out)
{
    fprintf(out, "{\"column\":\"%s\"", column_name(n->column));
    json_value(r, n, out);
    fprintf(out, ",\"degree\":%u,\"in_degree\":%u,\"out_degree\":%u,\"flows\":%u,"
            "\"accepted\":%s,\"intervals\":%u,\"median\":%.6g,\"p90\":%.6g,\"outliers\":%u,"
            "\"hosts\":%u}", n->degree, n->in_degree, n->out_degree, n->flows,
            n->accepted ? "true" : "false", n->intervals, n->deg_median, n->deg_p90,
            n->deg_outliers, n->hosts);
}

/* The paper's words, as in the text report: "dst ports: 80 (http)". */
static void json_summary_words(const expose_profile *p, FILE *out)
{
    char buf[1024], t[80];
    size_t used = 0;
    buf[0] = 0;
    static const int order[] = { EXPOSE_COL_SRC_PORT, EXPOSE_COL_DST_PORT };
    for (int c = 0; c < 2; c++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < p->nsignificant; i++)
            n += (int)p->significant[i].column == order[c];
        if (!n)
            continue;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s:", used ? "; " : "",
                                 column_words(order[c], n > 1));
        for (uint32_t i = 0, k = 0; i < p->nsignificant && used < sizeof buf; i++) {
            if ((int)p->significant[i].column != order[c])
                continue;
            node_text(&p->significant[i], t, sizeof t);
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s %s", k++ ? "," : "", t);
        }
        if (used >= sizeof buf)
            break;
    }
    xp_json_string(out, buf);
}

static void json_profile(const expose_result *r, const expose_profile *p, FILE *out)
{
    char a[64];
    fputs("{\"host\":", out);
    xp_json_string(out, expose_addr_text(p->ip_version, p->host, a, sizeof a));
    fputs(",\"role\":", out);
    xp_json_string(out, p->role);
    fprintf(out, ",\"flows\":%u,\"graphlet_nodes\":%u,\"profile_nodes\":%u,"
            "\"significant_total\":%u,\"covered_flows\":%u,\"compression\":%.6g,"
            "\"coverage\":%.6g,\"stability\":", p->flows, p->graphlet_nodes, p->profile_nodes,
            p->significant_total, p->covered_flows, p->compression, p->coverage);
    if (p->stability >= 0)
        fprintf(out, "%.6g", p->stability);
    else
        fputs("null", out);
    fprintf(out, ",\"intervals\":%u,\"accepted\":%s,\"accepted_nodes\":%u,\"first\":%.9f,"
            "\"last\":%.9f,\"summary\":", p->intervals, p->accepted ? "true" : "false",
            p->accepted_nodes, p->first, p->last);
    json_summary_words(p, out);
    char *f = expose_host_filter(p->ip_version, p->host);
    fputs(",\"filter\":", out);
    xp_json_string(out, f ? f : "");
    free(f);
    fputs(",\"significant\":[", out);
    for (uint32_t i = 0; i < p->nsignificant; i++) {
        if (i)
            fputc(',', out);
        json_node(r, &p->significant[i], out);
    }
    fputs("]}", out);
}

static void json_popular(const expose_result *r, FILE *out)
{
    uint32_t n;
    const expose_profile_node **v = popular(r, &n);
    fputs(",\"popular\":[", out);
    for (uint32_t i = 0; v && i < n && i < JSON_POPULAR; i++) {
        char a[64];
        fprintf(out, "%s{\"column\":\"%s\",\"value\":", i ? "," : "", column_name(v[i]->column));
        if (v[i]->column == EXPOSE_COL_DST_IP) {
            xp_json_string(out, expose_addr_text(v[i]->ip_version, v[i]->addr, a, sizeof a));
        } else {
            const char *svc = xp_port_service_name(v[i]->value);
            fprintf(out, "%u,\"service\":", v[i]->value);
            if (svc)
                xp_json_string(out, svc);
            else
                fputs("null", out);
        }
        fprintf(out, ",\"hosts\":%u}", v[i]->hosts);
    }
    fputs("]", out);
    free(v);
}

/* A display filter for the scan's packets. */
static void json_scan_filter(const expose_scan *s, FILE *out)
{
    char h[64], t[64], buf[256];
    const char *ip = s->ip_version == 6 ? "ipv6" : "ip", *tp = expose_proto_name(s->proto);
    expose_addr_text(s->ip_version, s->host, h, sizeof h);
    if (s->kind == EXPOSE_SCAN_PORT)
        snprintf(buf, sizeof buf, "%s && %s.addr==%s && %s.addr==%s", tp, ip, h, ip,
                 expose_addr_text(s->ip_version, s->target, t, sizeof t));
    else if (s->proto == EXPOSE_TCP || s->proto == EXPOSE_UDP)
        snprintf(buf, sizeof buf, "%s.src==%s && %s.dstport==%u", ip, h, tp, s->port);
    else
        snprintf(buf, sizeof buf, "%s && %s.src==%s", tp, ip, h);
    xp_json_string(out, buf);
}

static void json_scan(const expose_scan *s, FILE *out)
{
    char a[64];
    fprintf(out, "{\"kind\":\"%s\",\"host\":", s->kind == EXPOSE_SCAN_PORT ? "port" : "address");
    xp_json_string(out, expose_addr_text(s->ip_version, s->host, a, sizeof a));
    fputs(",\"target\":", out);
    if (s->kind == EXPOSE_SCAN_PORT)
        xp_json_string(out, expose_addr_text(s->ip_version, s->target, a, sizeof a));
    else if (s->proto == EXPOSE_TCP || s->proto == EXPOSE_UDP)
        fprintf(out, "%u", s->port);
    else
        xp_json_string(out, expose_proto_name(s->proto));
    fputs(",\"proto\":", out);
    xp_json_string(out, expose_proto_name(s->proto));
    if (s->kind == EXPOSE_SCAN_ADDRESS && xp_port_service_name(s->port) &&
        (s->proto == EXPOSE_TCP || s->proto == EXPOSE_UDP)) {
        fputs(",\"service\":", out);
        xp_json_string(out, xp_port_service_name(s->port));
    }
    fprintf(out, ",\"count\":%u,\"connections\":%u,\"unanswered\":%u,\"first\":%.9f,"
            "\"last\":%.9f,\"filter\":", s->count, s->connections, s->unanswered, s->first,
            s->last);
    json_scan_filter(s, out);
    fputc('}', out);
}

void xp_write_profiles_json(const expose_result *r, FILE *out)
{
    fprintf(out, ",\"profile_intervals\":%.0f,\"profiles\":[", intervals_of(r));
    for (uint32_t i = 0; i < r->nprofiles; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_profile(r, &r->profiles[i], out);
    }
    fputs("]", out);
    json_popular(r, out);
    fputs(",\"scans\":[", out);
    for (uint32_t i = 0; i < r->nscans; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_scan(&r->scans[i], out);
    }
    fputs("]", out);
}
