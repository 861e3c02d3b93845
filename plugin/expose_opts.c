/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_opts.c -- parse "window=2,k=100,format=json,filter=dns".
 *
 * The numeric options go straight to expose_params_set(), so tshark, the
 * GUI and the CLI accept and reject exactly the same values with the same
 * messages.
 */
#include <wireshark.h>

#include <stdio.h>
#include <string.h>

#include "expose_opts.h"
#include "expose_prefs.h"

#define Z_NAME "expose"

static const char *const formats[] = { "text", "json", "dot", "svg", NULL };

const char *expose_opts_from_z(const char *arg)
{
    size_t n = strlen(Z_NAME);
    if (arg == NULL || strncmp(arg, Z_NAME, n) != 0)
        return NULL;
    if (arg[n] == '\0')
        return "";
    return arg[n] == ',' ? arg + n + 1 : NULL;
}

void expose_opts_clear(expose_run_opts *o)
{
    g_free(o->out);
    g_free(o->graph);
    g_free(o->filter);
    o->out = NULL;
    o->graph = NULL;
    o->filter = NULL;
}

static gboolean is_param(const char *name)
{
    for (const expose_param_info *i = expose_params_list(); i->name; i++)
        if (!strcmp(i->name, name))
            return TRUE;
    return FALSE;
}

static int unknown_option(const char *name, char *err, size_t errlen)
{
    GString *known = g_string_new(NULL);
    for (const expose_param_info *i = expose_params_list(); i->name; i++)
        g_string_append_printf(known, "%s, ", i->name);
    g_snprintf(err, (gulong)errlen, "unknown option '%s' (known: %sformat, out, filter)",
               name, known->str);
    g_string_free(known, TRUE);
    return -1;
}

static int set_format(expose_run_opts *o, const char *value, char *err, size_t errlen)
{
    for (int i = 0; formats[i]; i++) {
        if (!strcmp(value, formats[i])) {
            g_strlcpy(o->format, value, sizeof o->format);
            return 0;
        }
    }
    g_snprintf(err, (gulong)errlen,
               "bad value '%s' for option 'format': expected text, json, dot or svg", value);
    return -1;
}

static int set_string(char **field, const char *name, const char *value,
                      char *err, size_t errlen)
{
    if (*value == '\0') {
        g_snprintf(err, (gulong)errlen, "option '%s' needs a value: %s=%s", name, name,
                   !strcmp(name, "filter") ? "DISPLAY FILTER" : "PATH");
        return -1;
    }
    g_free(*field);
    *field = g_strdup(value);
    return 0;
}

/* One "name=value"; the value is already cut at the next comma. */
static int set_option(expose_run_opts *o, const char *name, const char *value,
                      char *err, size_t errlen)
{
    if (!strcmp(name, "format"))
        return set_format(o, value, err, errlen);
    if (!strcmp(name, "out"))
        return set_string(&o->out, name, value, err, errlen);
    if (!strcmp(name, "graph"))
        return set_string(&o->graph, name, value, err, errlen);
    if (!strcmp(name, "filter"))
        return set_string(&o->filter, name, value, err, errlen);
    if (!is_param(name))
        return unknown_option(name, err, errlen);
    const char *msg = expose_params_set(&o->params, name, value);
    if (msg != NULL) {
        g_strlcpy(err, msg, errlen);
        return -1;
    }
    return 0;
}

/* Split one "name=value" token off *cursor and apply it. */
static int next_option(expose_run_opts *o, const char **cursor, char *err, size_t errlen)
{
    const char *tok = *cursor;
    const char *eq = strchr(tok, '=');
    const char *comma = strchr(tok, ',');
    size_t toklen = comma ? (size_t)(comma - tok) : strlen(tok);

    if (toklen == 0) {
        g_strlcpy(err, "empty option (two commas in a row?)", errlen);
        return -1;
    }
    if (eq == NULL || (size_t)(eq - tok) >= toklen) {
        char *name = g_strndup(tok, toklen);
        if (is_param(name) || !strcmp(name, "format") || !strcmp(name, "out") ||
            !strcmp(name, "graph") || !strcmp(name, "filter"))
            g_snprintf(err, (gulong)errlen, "option '%s' needs a value: %s=VALUE", name, name);
        else
            unknown_option(name, err, errlen);
        g_free(name);
        return -1;
    }
    char *name = g_strndup(tok, (gsize)(eq - tok));
    /* A display filter may contain commas: it takes the rest of the list. */
    gboolean rest = !strcmp(name, "filter");
    char *value = rest ? g_strdup(eq + 1) : g_strndup(eq + 1, toklen - (size_t)(eq - tok) - 1);
    int rc = set_option(o, name, value, err, errlen);
    g_free(name);
    g_free(value);
    *cursor = (rest || comma == NULL) ? NULL : comma + 1;
    return rc;
}

static int check_combination(const expose_run_opts *o, char *err, size_t errlen)
{
    if (!strcmp(o->format, "svg") && o->out == NULL) {
        g_strlcpy(err, "format=svg needs out=PATH (it is not written to standard output)", errlen);
        return -1;
    }
    return 0;
}

int expose_opts_parse(expose_run_opts *o, const char *list, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    g_strlcpy(o->format, "text", sizeof o->format);
    if (expose_prefs_apply(&o->params, err, errlen) < 0)
        return -1;
    const char *cursor = (list != NULL && *list != '\0') ? list : NULL;
    while (cursor != NULL) {
        if (next_option(o, &cursor, err, errlen) < 0) {
            expose_opts_clear(o);
            return -1;
        }
    }
    if (check_combination(o, err, errlen) < 0) {
        expose_opts_clear(o);
        return -1;
    }
    return 0;
}

void expose_opts_print_help(FILE *out)
{
    fprintf(out, "usage: -z " Z_NAME "[,OPTION=VALUE]...  (filter= must come last)\n");
    for (const expose_param_info *i = expose_params_list(); i->name; i++)
        fprintf(out, "  %-18s %s\n", i->name, i->help);
    fprintf(out, "  %-18s %s\n", "format", "text (default), json, dot, or svg (needs out=)");
    fprintf(out, "  %-18s %s\n", "out", "write the report to PATH (atomically) instead of standard output");
    fprintf(out, "  %-18s %s\n", "graph", "also draw the rule graph to PATH (.svg via Graphviz, or .dot source)");
    fprintf(out, "  %-18s %s\n", "filter", "mine only the frames this display filter matches");
    fprintf(out, "Defaults come from Edit > Preferences > Protocols > eXpose (-o expose.NAME:VALUE).\n");
}
