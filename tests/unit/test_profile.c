/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_profile.c -- host graphlet profiles: significant sets, roles,
 * compression, coverage, popularity, and the report sections, on hosts
 * with known roles fed straight into the engine. */
#include "unit.h"

/* ------------------------------------------------------------ helpers */

static const expose_profile *profile_of(const expose_result *r, const char *host)
{
    char a[64];
    for (uint32_t i = 0; i < r->nprofiles; i++)
        if (!strcmp(expose_addr_text(r->profiles[i].ip_version, r->profiles[i].host, a, sizeof a),
                    host))
            return &r->profiles[i];
    return NULL;
}

static int count_col(const expose_profile *p, int col)
{
    int n = 0;
    for (uint32_t i = 0; i < p->nsignificant; i++)
        n += (int)p->significant[i].column == col;
    return n;
}

static const expose_profile_node *node_of(const expose_profile *p, int col, uint32_t value)
{
    for (uint32_t i = 0; i < p->nsignificant; i++)
        if ((int)p->significant[i].column == col && p->significant[i].value == value)
            return &p->significant[i];
    return NULL;
}

static const expose_profile_node *ip_node(const expose_profile *p, const char *ip)
{
    char a[64];
    for (uint32_t i = 0; i < p->nsignificant; i++) {
        const expose_profile_node *n = &p->significant[i];
        if (n->column == EXPOSE_COL_DST_IP &&
            !strcmp(expose_addr_text(n->ip_version, n->addr, a, sizeof a), ip))
            return n;
    }
    return NULL;
}

/* ----------------------------------------------------------- the trace */

static double clock_s;   /* connections are spaced so packets stay in order */

static void tcp_next(expose_engine *e, const char *c, int cport, const char *s, int sport)
{
    tcp_conn(e, clock_s, c, cport, s, sport);
    clock_s += 0.02;
}

static void udp_next(expose_engine *e, const char *c, int cport, const char *s, int sport)
{
    udp_pair(e, clock_s, c, cport, s, sport);
    clock_s += 0.02;
}

/* 10.0.0.10 browses: 20 web servers on 80 and 443, 20 DNS lookups. */
static void browsing_client(expose_engine *e)
{
    char srv[32];
    for (int i = 0; i < 20; i++) {
        snprintf(srv, sizeof srv, "198.51.100.%d", 1 + i);
        tcp_next(e, "10.0.0.10", 40000 + 2 * i, srv, 80);
        tcp_next(e, "10.0.0.10", 40001 + 2 * i, srv, 443);
        udp_next(e, "10.0.0.10", 50000 + i, "10.0.0.53", 53);
    }
}

/* 10.0.0.11 browses less: 10 web servers, 5 lookups. */
static void second_client(expose_engine *e)
{
    char srv[32];
    for (int i = 0; i < 10; i++) {
        snprintf(srv, sizeof srv, "198.51.100.%d", 100 + i);
        tcp_next(e, "10.0.0.11", 45000 + i, srv, 80);
        if (i < 5)
            udp_next(e, "10.0.0.11", 52000 + i, "10.0.0.53", 53);
    }
}

/* 10.0.0.80 serves the web to 30 clients, one connection each. */
static void web_server(expose_engine *e)
{
    char cl[32];
    for (int i = 0; i < 30; i++) {
        snprintf(cl, sizeof cl, "10.1.0.%d", 1 + i);
        tcp_next(e, cl, 50000 + i, "10.0.0.80", 80);
    }
}

/* 10.0.0.53 answers the clients and asks 15 other name servers. */
static void dns_recursion(expose_engine *e)
{
    char ns[32];
    for (int i = 0; i < 15; i++) {
        snprintf(ns, sizeof ns, "192.0.2.%d", 1 + i);
        udp_next(e, "10.0.0.53", 33000 + i, ns, 53);
    }
}

/* 10.0.0.99 runs a P2P application on 51413: it contacts 20 peers and 20
 * contact it over UDP, 10 more open TCP connections to it; every peer
 * uses its own high port. */
static void p2p_host(expose_engine *e)
{
    char peer[32];
    for (int i = 0; i < 40; i++) {
        snprintf(peer, sizeof peer, "203.0.113.%d", 1 + i);
        if (i % 2 == 0)
            udp_next(e, "10.0.0.99", 51413, peer, 20000 + 37 * i);
        else
            udp_next(e, peer, 20000 + 37 * i, "10.0.0.99", 51413);
    }
    for (int i = 0; i < 10; i++) {
        snprintf(peer, sizeof peer, "203.0.113.%d", 100 + i);
        tcp_next(e, peer, 30000 + i, "10.0.0.99", 51413);
    }
}

/* An IPv6 client: 2001:db8::10 to five servers on 443. */
static void v6_client(expose_engine *e)
{
    char srv[64];
    for (int i = 0; i < 5; i++) {
        snprintf(srv, sizeof srv, "2001:db8:1::%d", 1 + i);
        tcp_next(e, "2001:db8::10", 41000 + i, srv, 443);
    }
}

static expose_result *mine_roles(expose_engine **ep)
{
    expose_engine *e = new_engine();
    clock_s = 0;
    browsing_client(e);
    second_client(e);
    web_server(e);
    dns_recursion(e);
    p2p_host(e);
    v6_client(e);
    clock_s += 20;     /* at least min_windows windows */
    feed(e, clock_s, "10.0.0.10", 40999, "198.51.100.1", 80, EXPOSE_TCP, EXPOSE_TH_ACK);
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "mined: %s", expose_engine_error(e));
    *ep = e;
    return r;
}

/* -------------------------------------------------------------- checks */

static void check_client(const expose_result *r)
{
    const expose_profile *p = profile_of(r, "10.0.0.10");
    CHECK(p != NULL, "browsing client profiled");
    if (!p)
        return;
    CHECK(!strcmp(p->role, "client"), "role %s", p->role);
    /* One late ACK opened a 61st five-tuple to 198.51.100.1:80. */
    CHECK(p->flows == 61, "flows %u", p->flows);
    CHECK(count_col(p, EXPOSE_COL_SRC_PORT) == 0, "no src port knot: ephemeral ports");
    CHECK(count_col(p, EXPOSE_COL_DST_PORT) == 3, "3 dst port knots, got %d",
          count_col(p, EXPOSE_COL_DST_PORT));
    const expose_profile_node *n80 = node_of(p, EXPOSE_COL_DST_PORT, 80);
    CHECK(n80 && n80->in_degree == 21 && n80->degree == 21, "dst port 80: 21 local ports");
    CHECK(node_of(p, EXPOSE_COL_DST_PORT, 443) && node_of(p, EXPOSE_COL_DST_PORT, 53),
          "dst ports 443 and 53");
    /* Every web server got two connections (80, 443): out-degree 2. */
    CHECK(count_col(p, EXPOSE_COL_DST_IP) == 21, "21 dst IP knots, got %d",
          count_col(p, EXPOSE_COL_DST_IP));
    const expose_profile_node *dns = ip_node(p, "10.0.0.53");
    CHECK(dns && dns->out_degree == 20, "the DNS server has out-degree 20");
    CHECK(node_of(p, EXPOSE_COL_PROTO, EXPOSE_TCP) != NULL, "tcp node: 20 peers");
    CHECK(node_of(p, EXPOSE_COL_PROTO, EXPOSE_UDP) == NULL, "udp node: one peer only");
    /* 1 root + 2 protocols + 21 peers + 61 local ports + 3 remote ports */
    CHECK(p->graphlet_nodes == 88, "graphlet nodes %u", p->graphlet_nodes);
    CHECK(p->significant_total == 25, "significant %u", p->significant_total);
    CHECK(fabs(p->compression - (1 - 25.0 / 88)) < 1e-9, "compression %g", p->compression);
    CHECK(p->coverage == 1.0 && p->covered_flows == 61, "coverage %g", p->coverage);
    CHECK(p->profile_nodes == 88, "profile nodes %u", p->profile_nodes);
    CHECK(!p->accepted && p->intervals == 1 && p->stability < 0,
          "one interval: not accepted, stability unknown");
    CHECK(n80 && n80->hosts == 2, "dst port 80 significant for two hosts: %u",
          n80 ? n80->hosts : 0);
    const expose_profile_node *n53 = node_of(p, EXPOSE_COL_DST_PORT, 53);
    CHECK(n53 && n53->hosts == 3, "dst port 53 significant for three hosts");
    /* The dst IP node points at the DNS server's own profile. */
    CHECK(dns && dns->value < r->nprofiles && &r->profiles[dns->value] == profile_of(r, "10.0.0.53"),
          "dst IP node -> peer profile");
}

static void check_server(const expose_result *r)
{
    const expose_profile *p = profile_of(r, "10.0.0.80");
    CHECK(p != NULL, "web server profiled");
    if (!p)
        return;
    CHECK(!strcmp(p->role, "server"), "role %s", p->role);
    CHECK(p->flows == 30, "flows %u", p->flows);
    const expose_profile_node *n = node_of(p, EXPOSE_COL_SRC_PORT, 80);
    CHECK(n && n->in_degree == 30 && n->out_degree == 30, "src port 80: 30 clients, 30 ports");
    CHECK(count_col(p, EXPOSE_COL_SRC_PORT) == 1 && count_col(p, EXPOSE_COL_DST_PORT) == 0 &&
          count_col(p, EXPOSE_COL_DST_IP) == 0, "only src port 80 among IPs and ports");
    CHECK(p->graphlet_nodes == 63 && p->significant_total == 2, "63 nodes, 2 significant");
    CHECK(p->coverage == 1.0, "coverage %g", p->coverage);
    /* Clients with a single flow have no profile. */
    CHECK(profile_of(r, "10.1.0.1") == NULL, "single-flow hosts are not profiled");
}

static void check_dns(const expose_result *r)
{
    const expose_profile *p = profile_of(r, "10.0.0.53");
    CHECK(p && !strcmp(p->role, "both"), "DNS server that recurses: both, got %s",
          p ? p->role : "-");
    CHECK(p && node_of(p, EXPOSE_COL_SRC_PORT, 53) && node_of(p, EXPOSE_COL_DST_PORT, 53),
          "src port 53 and dst port 53");
}

static void check_p2p(const expose_result *r)
{
    const expose_profile *p = profile_of(r, "10.0.0.99");
    CHECK(p != NULL, "P2P host profiled");
    if (!p)
        return;
    CHECK(!strcmp(p->role, "p2p"), "role %s", p->role);
    CHECK(p->flows == 50, "flows %u", p->flows);
    const expose_profile_node *n = node_of(p, EXPOSE_COL_SRC_PORT, 51413);
    CHECK(n && n->in_degree == 50 && n->out_degree == 50, "src port 51413 knot");
    CHECK(count_col(p, EXPOSE_COL_SRC_PORT) == 1 && count_col(p, EXPOSE_COL_DST_PORT) == 0,
          "one port knot");
    int learned = 0;
    for (uint32_t i = 0; i < r->summary.nlearned; i++)
        learned |= r->summary.learned[i] == 51413;
    CHECK(learned, "51413 learned");
}

static void check_order(const expose_result *r)
{
    for (uint32_t i = 1; i < r->nprofiles; i++)
        CHECK(r->profiles[i - 1].flows >= r->profiles[i].flows, "profiles sorted by flows");
    /* The six hosts above and the 20 web servers with 2 flows (80, 443). */
    CHECK(r->nprofiles == 26, "26 hosts with 2+ flows, got %u", r->nprofiles);
    const expose_profile *v6 = profile_of(r, "2001:db8::10");
    CHECK(v6 && v6->ip_version == 6 && !strcmp(v6->role, "client") && v6->flows == 5 &&
          node_of(v6, EXPOSE_COL_DST_PORT, 443), "IPv6 client");
    const expose_profile *web = profile_of(r, "198.51.100.7");
    CHECK(web && !strcmp(web->role, "idle") && web->flows == 2, "one client, no port knot: idle");
}

/* Both reports carry the sections and the JSON fields of the contract. */
static void check_reports(const expose_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    expose_write_text(r, f);
    fclose(f);
    CHECK(strstr(buf, "Host profiles"), "text: Host profiles");
    CHECK(strstr(buf, "dst ports: 80 (http), 53 (dns), 443 (https)"), "text: the paper's words:\n%s", buf);
    CHECK(strstr(buf, "src port: 80 (http)"), "text: server's src port");
    CHECK(strstr(buf, "Most popular significant nodes"), "text: popular");
    CHECK(strstr(buf, "Scans"), "text: scans");
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    expose_write_json(r, f);
    fclose(f);
    CHECK(strstr(buf, "\"profiles\":["), "json: profiles");
    CHECK(strstr(buf, "{\"host\":\"10.0.0.80\",\"role\":\"server\",\"flows\":30,\"graphlet_nodes\":63"),
          "json: server profile");
    CHECK(strstr(buf, "{\"column\":\"src_port\",\"value\":80,\"service\":\"http\""),
          "json: src_port node");
    CHECK(strstr(buf, "{\"column\":\"dst_ip\",\"value\":\"10.0.0.53\""), "json: dst_ip node");
    CHECK(strstr(buf, "{\"column\":\"proto\",\"value\":\"tcp\""), "json: proto node");
    CHECK(strstr(buf, "\"stability\":null"), "json: unknown stability is null");
    /* Every web server has the browsing client as a knot. */
    CHECK(strstr(buf, "\"popular\":[{\"column\":\"dst_ip\",\"value\":\"10.0.0.10\",\"hosts\":20}"),
          "json: most popular first");
    CHECK(strstr(buf, "{\"column\":\"dst_port\",\"value\":53,\"service\":\"dns\",\"hosts\":3}"),
          "json: popular dst port 53");
    CHECK(strstr(buf, "\"scans\":["), "json: scans");
    free(buf);
}

int main(void)
{
    expose_engine *e;
    expose_result *r = mine_roles(&e);
    if (r) {
        check_client(r);
        check_server(r);
        check_dns(r);
        check_p2p(r);
        check_order(r);
        check_reports(r);
    }
    expose_result_free(r);
    expose_engine_free(e);
    UNIT_DONE();
}
