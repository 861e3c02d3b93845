/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * params.c -- defaults (from the two papers) and validated setting by name.
 * The CLI's getopt loop and the tap's -z parser both call
 * expose_params_set(), so both accept and reject exactly the same values.
 */
#include "expose.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

void expose_params_default(expose_params *p)
{
    p->window = 1.0;             /* eXpose §2.1 */
    p->k = 5000;                 /* §2.2 (c) */
    p->alpha = 0.01;             /* §2.2 (d), nats */
    p->beta = 3;                 /* §2.3.2 */
    p->learn_ports = 16;
    p->idle = 0.0;               /* 0: one window */
    p->max_present = 0.9;        /* §2.2 (b) */
    p->ratio = 3.0;              /* §2.2 (b) */
    p->min_windows = 10;
    p->min_joint = 3;
    p->profile_interval = 900.0; /* end-host profiles: t = 15 min */
    p->profile_aging = 7 * 86400.0; /* N = one week */
    p->scan_ports = 100;
    p->scan_hosts = 50;
    p->max_conns = 4000000;
    p->max_events = 64000000;
}

static const expose_param_info infos[] = {
    { "window", "seconds per time window (default 1; 0.001..3600)" },
    { "k", "mine the K most active flows and generics (default 5000; 1..10000000)" },
    { "alpha", "report rules scoring above ALPHA nats (default 0.01; 0..10)" },
    { "beta", "generic rules need more than BETA distinct clients (default 3; 0..1000000)" },
    { "learn-ports", "a port one endpoint uses with at least N peers is well-known (default 16; 0 = off)" },
    { "idle", "seconds of silence after which a datagram flow is new again (default: one window)" },
    { "max-present", "drop flows present in more than this fraction of windows (default 0.9; 0..1)" },
    { "ratio", "present=>present rules need 1/R <= P(X)/P(Y) <= R (default 3; >= 1)" },
    { "min-windows", "refuse traces shorter than N windows (default 10; 2..1000000)" },
    { "min-joint", "a rule needs its two sides together in at least N windows (default 3; >= 1)" },
    { "profile-interval", "seconds between host-profile updates (default 900)" },
    { "profile-aging", "drop a profile node idle this many seconds (default 604800)" },
    { "scan-ports", "port scan: distinct ports of one target (default 100; >= 2)" },
    { "scan-hosts", "address scan: distinct targets on one port (default 50; >= 2)" },
    { "max-conns", "memory bound: distinct five-tuples tracked (default 4000000, ~450 MiB)" },
    { "max-events", "memory bound: connection-window records (default 64000000, 512 MiB)" },
    { NULL, NULL }
};

const expose_param_info *expose_params_list(void) { return infos; }

static char msg[256];

static int parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_uint(const char *s, unsigned long *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static const char *bad(const char *name, const char *value, const char *accepts)
{
    snprintf(msg, sizeof msg, "bad value '%s' for option '%s': expected %s",
             value ? value : "", name, accepts);
    return msg;
}

static const char *set_real(double *field, const char *name, const char *value,
                            double lo, double hi, int lo_open, const char *accepts)
{
    double v;
    if (parse_double(value, &v) < 0 || v > hi || v < lo || (lo_open && v == lo))
        return bad(name, value, accepts);
    *field = v;
    return NULL;
}

static const char *set_uint(unsigned *field, const char *name, const char *value,
                            unsigned long lo, unsigned long hi, const char *accepts)
{
    unsigned long v;
    if (parse_uint(value, &v) < 0 || v < lo || v > hi)
        return bad(name, value, accepts);
    *field = (unsigned)v;
    return NULL;
}

const char *expose_params_set(expose_params *p, const char *name, const char *value)
{
    if (!name)
        return "missing option name";
    if (!strcmp(name, "window"))
        return set_real(&p->window, name, value, 0.001, 3600, 0, "seconds between 0.001 and 3600");
    if (!strcmp(name, "k"))
        return set_uint(&p->k, name, value, 1, 10000000, "an integer between 1 and 10000000");
    if (!strcmp(name, "alpha"))
        return set_real(&p->alpha, name, value, 0, 10, 0, "nats between 0 and 10");
    if (!strcmp(name, "beta"))
        return set_uint(&p->beta, name, value, 0, 1000000, "an integer between 0 and 1000000");
    if (!strcmp(name, "learn-ports"))
        return set_uint(&p->learn_ports, name, value, 0, 100000000, "an integer >= 0 (0 turns learning off)");
    if (!strcmp(name, "idle"))
        return set_real(&p->idle, name, value, 0, 86400, 0, "seconds between 0 and 86400 (0: one window)");
    if (!strcmp(name, "max-present"))
        return set_real(&p->max_present, name, value, 0, 1, 1, "a fraction in (0, 1]");
    if (!strcmp(name, "ratio"))
        return set_real(&p->ratio, name, value, 1, 1e9, 0, "a number >= 1");
    if (!strcmp(name, "min-windows"))
        return set_uint(&p->min_windows, name, value, 2, 1000000, "an integer between 2 and 1000000");
    if (!strcmp(name, "min-joint"))
        return set_uint(&p->min_joint, name, value, 1, 100000000, "an integer >= 1");
    if (!strcmp(name, "profile-interval"))
        return set_real(&p->profile_interval, name, value, 1, 31536000, 0, "seconds between 1 and 31536000");
    if (!strcmp(name, "profile-aging"))
        return set_real(&p->profile_aging, name, value, 1, 315360000, 0, "seconds between 1 and 315360000");
    if (!strcmp(name, "scan-ports"))
        return set_uint(&p->scan_ports, name, value, 2, 65536, "an integer between 2 and 65536");
    if (!strcmp(name, "scan-hosts"))
        return set_uint(&p->scan_hosts, name, value, 2, 100000000, "an integer >= 2");
    if (!strcmp(name, "max-conns"))
        return set_uint(&p->max_conns, name, value, 16, 1000000000, "an integer between 16 and 1000000000");
    if (!strcmp(name, "max-events"))
        return set_uint(&p->max_events, name, value, 16, 4000000000u, "an integer between 16 and 4000000000");
    snprintf(msg, sizeof msg, "unknown option '%s' (known: window, k, alpha, beta, learn-ports, "
             "idle, max-present, ratio, min-windows, min-joint, profile-interval, profile-aging, "
             "scan-ports, scan-hosts, max-conns, max-events)", name);
    return msg;
}
