/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_prefs.c -- the eXpose protocol preferences.
 */
#include <wireshark.h>

#include <stdio.h>
#include <stdlib.h>

#include <epan/prefs.h>

#include "expose_prefs.h"

/* Wireshark keeps these up to date as the user edits the preferences. */
static const char *pref_window;
static guint       pref_k;
static const char *pref_alpha;
static guint       pref_beta;
static guint       pref_learn_ports;
static const char *pref_profile_interval;

/* One preference: its name in the preferences file (Wireshark wants
 * lowercase and underscores) and the core's option name. */
typedef struct pref_def {
    const char  *pref;
    const char  *param;
    const char  *title;
    const char **str;    /* string preference (a real number) */
    guint       *uint;   /* unsigned preference */
} pref_def;

static const pref_def defs[] = {
    { "window", "window", "Time window (seconds)", &pref_window, NULL },
    { "k", "k", "K: flows and generics mined", NULL, &pref_k },
    { "alpha", "alpha", "Alpha: score threshold (nats)", &pref_alpha, NULL },
    { "beta", "beta", "Beta: generic rule support", NULL, &pref_beta },
    { "learn_ports", "learn-ports", "Learn well-known ports from N peers (0: off)",
      NULL, &pref_learn_ports },
    { "profile_interval", "profile-interval", "Host profile interval (seconds)",
      &pref_profile_interval, NULL },
};

/* The shortest text that reads back as exactly v, so the preference shows
 * "0.01" rather than "0.010000000000000000208". */
static void format_real(double v, char *buf, size_t len)
{
    for (int prec = 1; prec <= 17; prec++) {
        g_snprintf(buf, (gulong)len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static double default_real(const expose_params *d, const char *param)
{
    if (!strcmp(param, "window"))
        return d->window;
    if (!strcmp(param, "alpha"))
        return d->alpha;
    return d->profile_interval;
}

static guint default_uint(const expose_params *d, const char *param)
{
    if (!strcmp(param, "k"))
        return d->k;
    if (!strcmp(param, "beta"))
        return d->beta;
    return d->learn_ports;
}

static const char *param_help(const char *param)
{
    for (const expose_param_info *i = expose_params_list(); i->name; i++)
        if (!strcmp(i->name, param))
            return i->help;
    return NULL;
}

void expose_prefs_register(int proto)
{
    module_t *m = prefs_register_protocol(proto, NULL);
    expose_params d;
    char buf[32];

    expose_params_default(&d);
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        const pref_def *p = &defs[i];
        if (p->str != NULL) {
            format_real(default_real(&d, p->param), buf, sizeof buf);
            *p->str = buf;   /* registration replaces it with its own copy */
            prefs_register_string_preference(m, p->pref, p->title, param_help(p->param), p->str);
        } else {
            *p->uint = default_uint(&d, p->param);
            prefs_register_uint_preference(m, p->pref, p->title, param_help(p->param), 10, p->uint);
        }
    }
}

int expose_prefs_apply(expose_params *p, char *err, size_t errlen)
{
    char buf[32];

    expose_params_default(p);
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        const pref_def *d = &defs[i];
        const char *value = buf;
        if (d->str != NULL)
            value = *d->str ? *d->str : "";
        else
            g_snprintf(buf, sizeof buf, "%u", *d->uint);
        const char *msg = expose_params_set(p, d->param, value);
        if (msg != NULL) {
            g_snprintf(err, (gulong)errlen, "preference expose.%s: %s", d->pref, msg);
            return -1;
        }
    }
    return 0;
}
