/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * check_truth.c -- assert the known answers of the generated scenarios
 * (tests/gen/SCENARIOS.md): planted dependencies must be found with the
 * right support, negatives (independent flows, dependencies separated by
 * more than a window, long-running flows) must yield no rule.
 *
 * usage: check_truth SCENARIO FILE   |   check_truth dns-web-variants DIR
 */
#include "unit.h"
#include "pcap_reader.h"

static expose_result *mine_file(const char *path, double window)
{
    char err[READER_ERRBUF_SIZE];
    reader *rd = reader_open(path, err, sizeof err);
    if (!rd) {
        fprintf(stderr, "%s: %s\n", path, err);
        exit(2);
    }
    expose_params p;
    expose_params_default(&p);
    p.window = window;
    expose_engine *e = expose_engine_new(&p);
    expose_record rec;
    expose_skip_reason why;
    reader_status st;
    while ((st = reader_next(rd, &rec, &why)) <= READER_SKIP)
        if (st == READER_RECORD)
            expose_engine_add(e, &rec);
        else
            expose_engine_skip(e, why);
    reader_close(rd);
    expose_result *r = expose_engine_mine(e);
    if (!r) {
        fprintf(stderr, "%s: %s\n", path, expose_engine_error(e));
        exit(1);
    }
    expose_engine_free(e);
    return r;
}

/* Rule between two item texts with any activities; its support or -2. */
static long rule_support(const expose_result *r, const char *lhs, const char *rhs)
{
    int i = find_rule(r, lhs, NULL, rhs, NULL);
    return i < 0 ? -2 : r->rules[i].support;
}

/* Number of rules with an item whose text contains a and one containing b
 * (b NULL: any rule mentioning a). */
static int rules_linking(const expose_result *r, const char *a, const char *b)
{
    char x[EXPOSE_ITEM_TEXT_MAX], y[EXPOSE_ITEM_TEXT_MAX];
    int n = 0;
    for (uint32_t i = 0; i < r->nrules; i++) {
        expose_item_text(&r->items[r->rules[i].lhs], x, sizeof x);
        expose_item_text(&r->items[r->rules[i].rhs], y, sizeof y);
        if (!b)
            n += strstr(x, a) || strstr(y, a);
        else
            n += (strstr(x, a) && strstr(y, b)) || (strstr(x, b) && strstr(y, a));
    }
    return n;
}

static int item_cluster(const expose_result *r, const char *text)
{
    char b[EXPOSE_ITEM_TEXT_MAX];
    for (uint32_t i = 0; i < r->nitems; i++)
        if (!strcmp(expose_item_text(&r->items[i], b, sizeof b), text))
            return (int)r->items[i].cluster;
    return -1;
}

static void dns_web(const expose_result *r)
{
    char c[32], web[96], dns[96];
    long s = rule_support(r, "*.* : 10.1.0.80.80", "*.* : 10.1.0.53.53");
    CHECK(s == 20, "web => dns generic rule, support 20 (got %ld)", s);
    CHECK(rule_support(r, "*.* : 10.1.0.53.53", "*.* : 10.1.0.80.80") == 20, "and the reverse");
    for (int x = 10; x <= 29; x++) {
        snprintf(c, sizeof c, "10.1.0.%d", x);
        snprintf(web, sizeof web, "%s.* : 10.1.0.80.80", c);
        snprintf(dns, sizeof dns, "%s.* : 10.1.0.53.53", c);
        CHECK(find_rule(r, web, NULL, dns, NULL) >= 0, "client %s: web => dns", c);
    }
}

static void backend(const expose_result *r)
{
    long s = rule_support(r, "*.* : 10.2.0.80.80", "10.2.0.80.* : 10.2.0.5.5432");
    CHECK(s == 30, "Sales => DB backend rule, support 30 (got %ld)", s);
    CHECK(rule_support(r, "10.2.0.80.* : 10.2.0.5.5432", "*.* : 10.2.0.80.80") == 30, "reverse");
    CHECK(rules_linking(r, "*.* : 10.2.0.5.5432", NULL) == 0, "the DB generic has one client");
}

static void loadbalance(const expose_result *r)
{
    char a[64], b[64];
    int cl = item_cluster(r, "*.* : 10.3.0.1.3128");
    for (int n = 1; n <= 5; n++) {
        snprintf(a, sizeof a, "*.* : 10.3.0.%d.3128", n);
        CHECK(item_cluster(r, a) == cl, "%s in the proxy cluster", a);
        for (int m = 1; m <= 5; m++) {
            if (m == n)
                continue;
            snprintf(b, sizeof b, "*.* : 10.3.0.%d.3128", m);
            long s = rule_support(r, a, b);
            CHECK(s > 3, "clique %s => %s (support %ld)", a, b, s);
        }
    }
}

static void periodic(const expose_result *r)
{
    char a[64], b[64];
    for (int x = 1; x <= 6; x++)
        for (int y = 1; y <= 6; y++) {
            if (x == y)
                continue;
            snprintf(a, sizeof a, "10.4.0.%d.514 : 10.4.0.100.514", x);
            snprintf(b, sizeof b, "10.4.0.%d.514 : 10.4.0.100.514", y);
            CHECK(rule_support(r, a, b) == -1, "flow clique %s => %s", a, b);
        }
    CHECK(rules_linking(r, "*.* : 10.4.0.100.514", NULL) == 0, "no generic rule");
}

static void independent(const expose_result *r)
{
    CHECK(rules_linking(r, "10.5.0.", NULL) == 0, "independent: no rule (%d)",
          rules_linking(r, "10.5.0.", NULL));
}

static void separated(const expose_result *r)
{
    CHECK(rules_linking(r, "10.6.0.80.", "10.6.0.90.") == 0, "separated by 3-4 s: no rule");
}

static void longrunning(const expose_result *r)
{
    CHECK(rules_linking(r, "10.7.0.22.22", NULL) == 0, "long-running flow: no rule");
    CHECK(rules_linking(r, "10.7.0.", NULL) == 0, "longrunning: no rule at all");
    CHECK(r->summary.dropped_long >= 2, "the SSH flow and its generic are dropped (%llu)",
          (unsigned long long)r->summary.dropped_long);
}

static void ipv6(const expose_result *r)
{
    long s = rule_support(r, "*.* : 2001:db8:8::80.80", "*.* : 2001:db8:8::53.53");
    CHECK(s == 10, "IPv6 web => dns, support 10 (got %ld)", s);
}

/* Which scenario an address belongs to: its /16 for IPv4, 8 for IPv6. */
static int scenario_of(const expose_item *it)
{
    return it->ip_version == 6 ? 8 : it->server[1];
}

static void no_cross_links(const expose_result *r)
{
    int bad = 0;
    for (uint32_t i = 0; i < r->nrules; i++)
        bad += scenario_of(&r->items[r->rules[i].lhs]) != scenario_of(&r->items[r->rules[i].rhs]);
    CHECK(bad == 0, "%d rules link two scenarios", bad);
}

/* The planted scans (SCENARIOS.md 9) and the roles of the scan trace. */
static void scans(const expose_result *r)
{
    char a[64], b[64];
    int port = 0, addr = 0;
    for (uint32_t i = 0; i < r->nscans; i++) {
        const expose_scan *s = &r->scans[i];
        expose_addr_text(s->ip_version, s->host, a, sizeof a);
        if (s->kind == EXPOSE_SCAN_PORT) {
            expose_addr_text(s->ip_version, s->target, b, sizeof b);
            port += !strcmp(a, "10.9.0.66") && !strcmp(b, "10.9.0.5") && s->count >= 1024 &&
                    s->first - r->summary.first >= 599.9 && s->first - r->summary.first <= 620.1;
        } else {
            addr += !strcmp(a, "10.9.0.66") && s->port == 3306 && s->count == 253 &&
                    s->last - s->first <= 30.1;
        }
    }
    CHECK(port == 1, "port scan of 10.9.0.5 by 10.9.0.66 at 600 s (%d)", port);
    CHECK(addr == 1, "address scan on 3306 by 10.9.0.66, 253 addresses in 30 s (%d)", addr);
    CHECK(r->nscans == 2, "exactly the two planted scans (%u)", r->nscans);
    const char *want[][2] = { { "10.9.0.66", "scanner" }, { "10.9.0.80", "server" },
                              { "10.9.0.10", "client" } };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        const char *role = NULL;
        for (uint32_t i = 0; i < r->nprofiles; i++)
            if (!strcmp(expose_addr_text(r->profiles[i].ip_version, r->profiles[i].host, a, sizeof a),
                        want[w][0]))
                role = r->profiles[i].role;
        CHECK(role && !strcmp(role, want[w][1]), "%s is a %s (%s)", want[w][0], want[w][1],
              role ? role : "no profile");
    }
}

static void separated_control(const char *path)
{
    expose_result *r = mine_file(path, 5.0);
    char a[64], b[64];
    for (int x = 10; x <= 19; x++) {
        snprintf(a, sizeof a, "10.6.0.%d.* : 10.6.0.80.80", x);
        snprintf(b, sizeof b, "10.6.0.%d.* : 10.6.0.90.8080", x);
        CHECK(find_rule(r, a, NULL, b, NULL) >= 0, "5 s windows: %s => .90 found", a);
    }
    expose_result_free(r);
}

static void variants(const char *dir)
{
    static const char *files[] = { "dns-web-ng.pcapng", "dns-web-sll2.pcap", "dns-web-vlan.pcap",
                                   "dns-web-raw.pcap", "dns-web-null.pcap" };
    char path[1024];
    snprintf(path, sizeof path, "%s/dns-web.pcap", dir);
    expose_result *base = mine_file(path, 1.0);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        expose_result *r = mine_file(path, 1.0);
        CHECK(r->nrules == base->nrules, "%s: %u rules, pcap had %u", files[f], r->nrules, base->nrules);
        for (uint32_t i = 0; i < r->nrules && i < base->nrules; i++)
            CHECK(fabs(r->rules[i].score - base->rules[i].score) < 1e-12, "%s rule %u", files[f], i);
        dns_web(r);
        expose_result_free(r);
    }
    expose_result_free(base);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: check_truth SCENARIO FILE\n");
        return 2;
    }
    const char *s = argv[1];
    if (!strcmp(s, "dns-web-variants")) {
        variants(argv[2]);
        UNIT_DONE();
    }
    expose_result *r = mine_file(argv[2], 1.0);
    printf("%s: %u rules in %u clusters\n", s, r->nrules, r->nclusters);
    int all = !strcmp(s, "all");
    if (all || !strcmp(s, "dns-web"))
        dns_web(r);
    if (all || !strcmp(s, "backend"))
        backend(r);
    if (all || !strcmp(s, "loadbalance"))
        loadbalance(r);
    if (all || !strcmp(s, "periodic"))
        periodic(r);
    if (all || !strcmp(s, "independent"))
        independent(r);
    if (all || !strcmp(s, "separated"))
        separated(r);
    if (all || !strcmp(s, "longrunning"))
        longrunning(r);
    if (!strcmp(s, "separated"))
        separated_control(argv[2]);
    if (all || !strcmp(s, "ipv6"))
        ipv6(r);
    if (!strcmp(s, "scan"))
        CHECK(r->nrules == 0, "scan trace: no rule (%u)", r->nrules);
    if (all || !strcmp(s, "scan"))
        scans(r);
    if (all)
        no_cross_links(r);
    if (!all && strcmp(s, "scan") && strcmp(s, "independent") && strcmp(s, "separated") &&
        strcmp(s, "longrunning"))
        CHECK(r->nrules > 0, "some rule found");
    expose_result_free(r);
    UNIT_DONE();
}
