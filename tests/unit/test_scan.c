/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_scan.c -- planted port and address scans among ordinary traffic:
 * kind, scanner, target, count, connections, first/last; thresholds. */
#include "unit.h"

static double scan_first, scan_last, sweep_first, sweep_last;

/* 10.0.0.66 probes ports 1..150 of 10.0.0.200 from one source port (as
 * Nmap does); the target answers RST to two probes out of three.
 * 10.0.0.77 sweeps 60 addresses on 445 with SYNs nobody answers.
 * 10.0.0.10 talks to 45 web servers on 443 and 10.0.0.30 to one server on
 * 40 ports: both below the default thresholds. */
static expose_engine *plant(const expose_params *p)
{
    expose_engine *e = expose_engine_new(p);
    char a[32];
    for (int i = 0; i < 45; i++) {
        snprintf(a, sizeof a, "198.51.100.%d", 1 + i);
        tcp_conn(e, 1 + 0.1 * i, "10.0.0.10", 40000 + i, a, 443);
    }
    for (int i = 0; i < 40; i++)
        tcp_conn(e, 10 + 0.1 * i, "10.0.0.30", 41000 + i, "10.0.0.31", 8000 + i);
    scan_first = 20.01;
    for (int port = 1; port <= 150; port++) {
        double t = 20 + 0.01 * port;
        feed(e, t, "10.0.0.66", 55555, "10.0.0.200", port, EXPOSE_TCP, EXPOSE_TH_SYN);
        if (port % 3 != 1)
            feed(e, t + 0.001, "10.0.0.200", port, "10.0.0.66", 55555, EXPOSE_TCP,
                 EXPOSE_TH_RST | EXPOSE_TH_ACK);
    }
    scan_last = 20 + 0.01 * 150 + 0.001;    /* port 150 was answered */
    sweep_first = 30;
    for (int i = 0; i < 60; i++) {
        snprintf(a, sizeof a, "10.2.0.%d", 1 + i);
        feed(e, 30 + 0.02 * i, "10.0.0.77", 42000 + i, a, 445, EXPOSE_TCP, EXPOSE_TH_SYN);
    }
    sweep_last = 30 + 0.02 * 59;
    /* 10.0.0.88 pings 55 addresses; ten answer. */
    for (int i = 0; i < 55; i++) {
        snprintf(a, sizeof a, "10.3.0.%d", 1 + i);
        feed(e, 40 + 0.02 * i, "10.0.0.88", 0, a, 0, EXPOSE_ICMP, 0);
        if (i < 10)
            feed(e, 40 + 0.02 * i + 0.001, a, 0, "10.0.0.88", 0, EXPOSE_ICMP, 0);
    }
    return e;
}

static const char *text(int v, const uint8_t *addr, char *buf)
{
    return expose_addr_text(v, addr, buf, 64);
}

static void check_defaults(void)
{
    expose_params p;
    expose_params_default(&p);
    CHECK(p.scan_ports == 100 && p.scan_hosts == 50, "documented defaults");
    expose_engine *e = plant(&p);
    expose_result *r = expose_engine_mine(e);
    CHECK(r != NULL, "mined: %s", expose_engine_error(e));
    if (!r) {
        expose_engine_free(e);
        return;
    }
    CHECK(r->nscans == 3, "three scans, got %u", r->nscans);
    char h[64], t[64];
    if (r->nscans >= 1) {
        const expose_scan *s = &r->scans[0];
        CHECK(s->kind == EXPOSE_SCAN_PORT, "port scan listed first");
        CHECK(!strcmp(text(s->ip_version, s->host, h), "10.0.0.66"), "scanner %s", h);
        CHECK(!strcmp(text(s->ip_version, s->target, t), "10.0.0.200"), "target %s", t);
        CHECK(s->proto == EXPOSE_TCP && s->count == 150 && s->connections == 150,
              "150 ports, got %u", s->count);
        CHECK(s->unanswered == 50, "50 unanswered, got %u", s->unanswered);
        CHECK(fabs(s->first - (T0 + scan_first)) < 1e-6, "first %.6f", s->first - T0);
        CHECK(fabs(s->last - (T0 + scan_last)) < 1e-6, "last %.6f", s->last - T0);
    }
    if (r->nscans >= 2) {
        const expose_scan *s = &r->scans[1];
        CHECK(s->kind == EXPOSE_SCAN_ADDRESS, "address scan");
        CHECK(!strcmp(text(s->ip_version, s->host, h), "10.0.0.77"), "scanner %s", h);
        CHECK(s->port == 445 && s->proto == EXPOSE_TCP, "port 445");
        CHECK(s->count == 60 && s->unanswered == 60, "60 addresses, none answered");
        CHECK(fabs(s->first - (T0 + sweep_first)) < 1e-6, "first %.6f", s->first - T0);
        CHECK(fabs(s->last - (T0 + sweep_last)) < 1e-6, "last %.6f", s->last - T0);
    }
    if (r->nscans >= 3) {
        const expose_scan *s = &r->scans[2];
        CHECK(s->kind == EXPOSE_SCAN_ADDRESS && s->proto == EXPOSE_ICMP && s->port == 0 &&
              s->count == 55 && s->unanswered == 45, "ICMP echo sweep: 55 addresses, 45 silent");
        CHECK(!strcmp(text(s->ip_version, s->host, h), "10.0.0.88"), "pinger %s", h);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    expose_write_json(r, f);
    fclose(f);
    CHECK(strstr(buf, "{\"kind\":\"address\",\"host\":\"10.0.0.88\",\"target\":\"icmp\","
                      "\"proto\":\"icmp\",\"count\":55,"), "json ICMP sweep");
    CHECK(strstr(buf, "{\"kind\":\"port\",\"host\":\"10.0.0.66\",\"target\":\"10.0.0.200\","
                      "\"proto\":\"tcp\",\"count\":150,"), "json port scan");
    CHECK(strstr(buf, "{\"kind\":\"address\",\"host\":\"10.0.0.77\",\"target\":445,"
                      "\"proto\":\"tcp\",\"service\":\"microsoft-ds\",\"count\":60,"),
          "json address scan");
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    expose_write_text(r, f);
    fclose(f);
    CHECK(strstr(buf, "port scan     10.0.0.66 -> 10.0.0.200: 150 tcp ports"), "text port scan");
    CHECK(strstr(buf, "address scan  10.0.0.77 -> tcp port 445 (microsoft-ds): 60 addresses"),
          "text address scan");
    free(buf);
    expose_result_free(r);
    expose_engine_free(e);
}

/* Lower thresholds turn the ordinary traffic into scans too. */
static void check_thresholds(void)
{
    expose_params p;
    expose_params_default(&p);
    CHECK(expose_params_set(&p, "scan-ports", "40") == NULL, "scan-ports option");
    CHECK(expose_params_set(&p, "scan-hosts", "45") == NULL, "scan-hosts option");
    expose_engine *e = plant(&p);
    expose_result *r = expose_engine_mine(e);
    CHECK(r && r->nscans == 5, "five scans with lower thresholds, got %u", r ? r->nscans : 0);
    int web = 0, ports = 0;
    char h[64];
    for (uint32_t i = 0; r && i < r->nscans; i++) {
        const expose_scan *s = &r->scans[i];
        text(s->ip_version, s->host, h);
        web |= s->kind == EXPOSE_SCAN_ADDRESS && !strcmp(h, "10.0.0.10") && s->port == 443 &&
               s->count == 45 && s->unanswered == 0;
        ports |= s->kind == EXPOSE_SCAN_PORT && !strcmp(h, "10.0.0.30") && s->count == 40;
    }
    CHECK(web, "45 web servers on 443 reach scan-hosts 45");
    CHECK(ports, "40 ports of one server reach scan-ports 40");
    expose_result_free(r);
    expose_engine_free(e);
}

int main(void)
{
    check_defaults();
    check_thresholds();
    UNIT_DONE();
}
