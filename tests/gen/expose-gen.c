/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose-gen -- write a deterministic capture with planted communication
 * dependencies whose eXpose rules are known in advance (see SCENARIOS.md).
 *
 *   expose-gen [--seed N] [--duration SECONDS] [--packets N]
 *              [--format pcap|pcapng] [--nsec] [--swapped]
 *              [--linktype ether|raw|sll|sll2|null|vlan] SCENARIO OUTFILE
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

static const scenario scenarios[] = {
    { "dns-web",      "DNS lookup before every web connection (10.1.0.0/24)", 1800, scen_dns_web, 0, 0 },
    { "backend",      "web server calls its database per request (10.2.0.0/24)", 1800, scen_backend, 0, 0 },
    { "loadbalance",  "page loads spread over 5 proxies (10.3.0.0/24)", 1800, scen_loadbalance, 0, 0 },
    { "periodic",     "synchronised cron syslog from 6 hosts (10.4.0.0/24)", 1800, scen_periodic, 0, 0 },
    { "independent",  "negative: three independent services (10.5.0.0/24)", 1800, scen_independent, 0, 0 },
    { "separated",    "negative: dependency 3-4 s apart (10.6.0.0/24)", 1800, scen_separated, 0, 0 },
    { "longrunning",  "negative: SSH session in 93% of windows (10.7.0.0/24)", 1800, scen_longrunning, 0, 0 },
    { "ipv6",         "dns-web over IPv6 with hop-by-hop headers (2001:db8:8::/64)", 1800, scen_ipv6, 0, 0 },
    { "scan",         "port scan, address scan and a web server (10.9.0.0/24)", 1800, scen_scan, 0, 0 },
    { "all",          "scenarios dns-web .. scan together", 1800, scen_all, 0, 0 },
    { "bench-ingest", "many short flows for ingest speed (--packets, 10.200.0.0/16)", 3600, scen_bench_ingest, 0, 0 },
    { "bench-lab",    "LabEnterprise-scale trace, 7 h (10.100.0.0/16)", 25200, scen_bench_lab, 0, 0 },
    { "backwards",    "fixture: timestamps jump back 3600 s halfway", 60, scen_backwards, 0, 0 },
    { "jitter",       "fixture: every 50th packet 10-300 ms early", 120, scen_jitter, 0, 0 },
    { "short",        "fixture: 0.5 s of traffic, one window", 0.5, scen_short, 0, 0 },
    { "nonip",        "fixture: ARP and LLDP only", 60, scen_nonip, 1, 0 },
    { "badlink",      "fixture: link type 147 (USER0)", 60, scen_badlink, 0, 1 },
    { NULL, NULL, 0, NULL, 0, 0 }
};

const scenario *scenario_list(void)
{
    return scenarios;
}

const scenario *scenario_find(const char *name)
{
    for (const scenario *s = scenarios; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: expose-gen [options] SCENARIO OUTFILE\n"
        "  --seed N            random seed (default 1); same seed, same bytes\n"
        "  --duration SECONDS  trace length (default: per scenario)\n"
        "  --packets N         bench-ingest: packets to write (default 10000000)\n"
        "  --format pcap|pcapng  (default pcap)\n"
        "  --nsec              nanosecond timestamps\n"
        "  --swapped           big-endian file (default little-endian)\n"
        "  --linktype ether|raw|sll|sll2|null|vlan  (default ether)\n"
        "  --quiet             no summary on stderr\n"
        "scenarios:\n");
    for (const scenario *s = scenarios; s->name; s++)
        fprintf(f, "  %-13s %s\n", s->name, s->summary);
}

typedef struct args {
    scen_opts o;
    int pcapng, nsec, swapped, quiet;
    linktype link;
    const char *scenario, *out;
} args;

static int parse_link(const char *v, linktype *l)
{
    static const char *names[] = { "ether", "raw", "sll", "sll2", "null", "vlan" };
    for (int i = 0; i < 6; i++)
        if (strcmp(v, names[i]) == 0) {
            *l = (linktype)i;
            return 0;
        }
    return -1;
}

static int parse_num(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || x < 0) {
        fprintf(stderr, "expose-gen: %s needs a non-negative number, not '%s'\n", opt, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int parse_value(args *a, const char *opt, const char *v)
{
    double x;
    if (strcmp(opt, "--format") == 0) {
        if (strcmp(v, "pcap") && strcmp(v, "pcapng")) {
            fprintf(stderr, "expose-gen: --format is pcap or pcapng\n");
            return -1;
        }
        a->pcapng = strcmp(v, "pcapng") == 0;
        return 0;
    }
    if (strcmp(opt, "--linktype") == 0) {
        if (parse_link(v, &a->link) == 0)
            return 0;
        fprintf(stderr, "expose-gen: --linktype is ether, raw, sll, sll2, null or vlan\n");
        return -1;
    }
    if (parse_num(opt, v, &x) != 0)
        return -1;
    if (strcmp(opt, "--seed") == 0)
        a->o.seed = strtoull(v, NULL, 10);
    else if (strcmp(opt, "--duration") == 0)
        a->o.duration = x;
    else
        a->o.packets = (uint64_t)x;
    return 0;
}

static int parse_args(int argc, char **argv, args *a)
{
    static const char *valued[] = { "--seed", "--duration", "--packets", "--format",
                                    "--linktype" };
    memset(a, 0, sizeof *a);
    a->o.seed = 1;
    a->o.duration = -1;
    a->o.packets = 10000000;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int done = 0;
        for (size_t k = 0; k < sizeof valued / sizeof *valued && !done; k++)
            if (strcmp(s, valued[k]) == 0) {
                if (i + 1 >= argc || parse_value(a, s, argv[++i]) != 0)
                    return -1;
                done = 1;
            }
        if (done)
            continue;
        if (strcmp(s, "--nsec") == 0)              a->nsec = 1;
        else if (strcmp(s, "--swapped") == 0)      a->swapped = 1;
        else if (strcmp(s, "--quiet") == 0)        a->quiet = 1;
        else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "expose-gen: unknown option %s\n", s);
            return -1;
        } else if (!a->scenario)                   a->scenario = s;
        else if (!a->out)                          a->out = s;
        else {
            fprintf(stderr, "expose-gen: too many arguments\n");
            return -1;
        }
    }
    return a->scenario && a->out ? 0 : -1;
}

/* The nonip fixture needs a link layer that can carry ARP and LLDP. */
static int link_ok(const scenario *s, linktype l)
{
    return !s->nonip || l == LINK_ETHER || l == LINK_VLAN || l == LINK_SLL
           || l == LINK_SLL2;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int generate(const args *a, const scenario *s)
{
    double d = a->o.duration >= 0 ? a->o.duration : s->duration;
    writer w;
    linktype link = s->badlink ? LINK_USER0 : a->link;
    if (writer_open(&w, a->out, a->pcapng, a->nsec, a->swapped, link) != 0) {
        fprintf(stderr, "expose-gen: cannot write %s: %s\n", a->out, strerror(errno));
        return 1;
    }
    w.vlan = 100;
    gen g;
    gen_init(&g, &w, SEC(d));
    double t0 = now_s();
    int rc = s->setup(&g, &a->o, d) == 0 ? gen_run(&g) : -1;
    double el = now_s() - t0;
    if (writer_close(&w) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "expose-gen: writing %s failed\n", a->out);
    else if (!a->quiet)
        fprintf(stderr, "expose-gen: %s: %llu packets, %llu connections, %.1f MB, "
                "%.2f s (%.2f Mpackets/s)\n", s->name, (unsigned long long)g.packets,
                (unsigned long long)g.conns_started, w.bytes / 1e6, el,
                el > 0 ? g.packets / el / 1e6 : 0.0);
    gen_free(&g);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    args a;
    if (parse_args(argc, argv, &a) != 0) {
        usage(stderr);
        return 2;
    }
    const scenario *s = scenario_find(a.scenario);
    if (!s) {
        fprintf(stderr, "expose-gen: unknown scenario '%s'\n", a.scenario);
        usage(stderr);
        return 2;
    }
    if (!link_ok(s, a.link)) {
        fprintf(stderr, "expose-gen: %s needs --linktype ether, vlan, sll or sll2\n", s->name);
        return 2;
    }
    return generate(&a, s);
}
