/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * options.c -- parse the expose command line with getopt_long.
 *
 * The mining parameters are not hard-coded here: every name in
 * expose_params_list() becomes a --NAME VALUE option, and its value is
 * checked by expose_params_set(), so the CLI cannot drift from the core.
 */
#define _GNU_SOURCE /* getopt_long */
#include "options.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pcap_reader.h"

/* Options that are not mining parameters; their codes are above any char. */
enum { OPT_JSON = 256, OPT_GRAPH, OPT_VERSION, OPT_OUTPUT = 'o', OPT_HELP = 'h',
       OPT_QUIET = 'q', OPT_PARAM_BASE = 1024 };

static const struct option fixed_options[] = {
    { "json",    no_argument,       NULL, OPT_JSON },
    { "output",  required_argument, NULL, OPT_OUTPUT },
    { "graph",   required_argument, NULL, OPT_GRAPH },
    { "quiet",   no_argument,       NULL, OPT_QUIET },
    { "version", no_argument,       NULL, OPT_VERSION },
    { "help",    no_argument,       NULL, OPT_HELP },
};
#define NFIXED (sizeof fixed_options / sizeof fixed_options[0])
#define MAX_PARAMS 64

/* What --help shows for the parameters it knows about: a metavariable and
 * where the default lives.  A parameter missing here is still accepted;
 * its help line just lacks the default. */
typedef struct param_meta {
    const char *name;
    const char *metavar;
    size_t      offset;
    int         is_double;
} param_meta;

#define META_D(n, mv, field) { n, mv, offsetof(expose_params, field), 1 }
#define META_U(n, mv, field) { n, mv, offsetof(expose_params, field), 0 }
static const param_meta param_metas[] = {
    META_D("window", "SECONDS", window),
    META_U("k", "N", k),
    META_D("alpha", "NATS", alpha),
    META_U("beta", "N", beta),
    META_U("learn-ports", "N", learn_ports),
    META_D("idle", "SECONDS", idle),
    META_D("max-present", "FRACTION", max_present),
    META_D("ratio", "R", ratio),
    META_U("min-windows", "N", min_windows),
    META_U("min-joint", "N", min_joint),
    META_D("profile-interval", "SECONDS", profile_interval),
    META_D("profile-aging", "SECONDS", profile_aging),
    META_U("scan-ports", "N", scan_ports),
    META_U("scan-hosts", "N", scan_hosts),
    META_U("max-conns", "N", max_conns),
    META_U("max-events", "N", max_events),
};

static const param_meta *find_meta(const char *name)
{
    for (size_t i = 0; i < sizeof param_metas / sizeof param_metas[0]; i++)
        if (strcmp(param_metas[i].name, name) == 0)
            return &param_metas[i];
    return NULL;
}

static void format_default(const param_meta *m, const expose_params *d,
                           char *buf, size_t len)
{
    const char *field = (const char *)d + m->offset;
    if (m->is_double) {
        double v;
        memcpy(&v, field, sizeof v);
        if (strcmp(m->name, "idle") == 0 && v <= 0)
            snprintf(buf, len, "one window");
        else
            snprintf(buf, len, "%g", v);
    } else {
        unsigned v;
        memcpy(&v, field, sizeof v);
        snprintf(buf, len, "%u", v);
    }
}

static void print_param_help(const expose_param_info *pi, const expose_params *d)
{
    const param_meta *m = find_meta(pi->name);
    char left[64], def[64] = "";
    snprintf(left, sizeof left, "%s--%s %s", strcmp(pi->name, "k") == 0 ? "-k, " : "",
             pi->name, m ? m->metavar : "VALUE");
    if (m && !strstr(pi->help, "default"))
        format_default(m, d, def, sizeof def);
    printf("  %-28s %s%s%s%s\n", left, pi->help, def[0] ? " (default: " : "", def,
           def[0] ? ")" : "");
}

static void print_help(void)
{
    expose_params d;
    expose_params_default(&d);
    printf("Usage: expose [options] FILE\n"
           "Learn communication rules from a pcap or pcapng capture (eXpose, SIGCOMM 2008).\n"
           "FILE may be '-' for standard input.\n\n"
           "Mining parameters:\n");
    for (const expose_param_info *pi = expose_params_list(); pi->name; pi++)
        print_param_help(pi, &d);
    printf("\nOutput:\n"
           "  %-28s %s\n  %-28s %s\n  %-28s %s\n  %-28s %s\n  %-28s %s\n  %-28s %s\n",
           "--json", "write the report as JSON instead of text",
           "-o, --output FILE", "write the report to FILE (atomically) instead of stdout",
           "--graph FILE.svg|FILE.dot", "also write the rule graph (svg needs Graphviz)",
           "-q, --quiet", "no read summary on stderr (warnings and errors still appear)",
           "--version", "print the version and exit",
           "-h, --help", "print this help and exit");
    printf("\nExit status: 0 success, 1 input or mining error, 2 bad usage.\n");
}

static void print_version(void)
{
    printf("expose %s\n%s\n", EXPOSE_VERSION, reader_library_version());
}

/* The long options: the fixed ones, then one per mining parameter. */
static const expose_param_info *build_options(struct option *opts, size_t max)
{
    const expose_param_info *list = expose_params_list();
    size_t n = 0;
    for (size_t i = 0; i < NFIXED; i++)
        opts[n++] = fixed_options[i];
    for (size_t i = 0; list[i].name && n + 1 < max; i++)
        opts[n++] = (struct option){ list[i].name, required_argument, NULL,
                                     OPT_PARAM_BASE + (int)i };
    opts[n] = (struct option){ 0 };
    return list;
}

static int set_param(cli_options *o, const char *name, const char *value)
{
    const char *msg = expose_params_set(&o->params, name, value);
    if (!msg)
        return 0;
    fprintf(stderr, "expose: --%s: %s\n", name, msg);
    return -1;
}

/* "svg" or "dot" from the name given to --graph, or NULL. */
static const char *graph_format(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
        return "svg";
    if (n > 4 && strcmp(path + n - 4, ".dot") == 0)
        return "dot";
    if (n > 3 && strcmp(path + n - 3, ".gv") == 0)
        return "dot";
    return NULL;
}

static int bad_option(int c, char **argv)
{
    /* getopt leaves the offending word just before optind; for a short
     * option inside a group like "-qx" only optopt names it. */
    const char *text = argv[optind - 1];
    int is_long = strncmp(text, "--", 2) == 0;
    if (c == ':')
        fprintf(stderr, "expose: option '%s' needs a value\n", text);
    else if (is_long && optopt != 0)
        fprintf(stderr, "expose: option '%s' does not take a value\n", text);
    else if (is_long)
        fprintf(stderr, "expose: unknown or ambiguous option '%s'\n", text);
    else
        fprintf(stderr, "expose: unknown option '-%c'\n", optopt);
    fprintf(stderr, "Try 'expose --help' for the list of options.\n");
    return -1;
}

/* Handle one option; returns 0, 1 when expose should exit successfully,
 * or -1 after printing an error. */
static int apply_option(int c, const expose_param_info *list, cli_options *o)
{
    switch (c) {
    case OPT_JSON:    o->json = 1; return 0;
    case OPT_QUIET:   o->quiet = 1; return 0;
    case OPT_OUTPUT:  o->output = optarg; return 0;
    case OPT_HELP:    print_help(); return 1;
    case OPT_VERSION: print_version(); return 1;
    case 'k':         return set_param(o, "k", optarg);
    case OPT_GRAPH:
        o->graph = optarg;
        o->graph_format = graph_format(optarg);
        if (o->graph_format)
            return 0;
        fprintf(stderr, "expose: --graph '%s': the file name must end in .svg or .dot\n",
                optarg);
        return -1;
    default:
        return set_param(o, list[c - OPT_PARAM_BASE].name, optarg);
    }
}

static options_outcome check_operands(int argc, char **argv, cli_options *o)
{
    if (optind >= argc) {
        fprintf(stderr, "expose: missing capture FILE\n"
                        "Usage: expose [options] FILE   (try 'expose --help')\n");
        return OPTIONS_BAD;
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "expose: unexpected argument '%s': give exactly one capture FILE\n",
                argv[optind + 1]);
        return OPTIONS_BAD;
    }
    o->file = argv[optind];
    return OPTIONS_RUN;
}

options_outcome options_parse(int argc, char **argv, cli_options *o)
{
    struct option opts[NFIXED + MAX_PARAMS + 1];
    const expose_param_info *list = build_options(opts, sizeof opts / sizeof opts[0]);

    memset(o, 0, sizeof *o);
    expose_params_default(&o->params);
    opterr = 0;                             /* our own messages, below */
    int c;
    while ((c = getopt_long(argc, argv, ":k:o:hq", opts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            bad_option(c, argv);
            return OPTIONS_BAD;
        }
        int r = apply_option(c, list, o);
        if (r != 0)
            return r > 0 ? OPTIONS_DONE : OPTIONS_BAD;
    }
    return check_operands(argc, argv, o);
}
