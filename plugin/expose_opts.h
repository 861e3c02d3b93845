/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_opts.h -- the options of one eXpose run inside Wireshark.
 *
 * The same option list serves tshark's "-z expose,..." and the GUI:
 *     window=S, k=N, alpha=A, beta=B and every other name that
 *     expose_params_set() accepts (learn-ports, idle, profile-interval, ...),
 *     format=text|json|dot|svg, out=PATH, graph=PATH.svg|PATH.dot,
 *     filter=DISPLAY FILTER.
 * filter= must come last: its value runs to the end of the string, commas
 * included, as display filters may contain them.
 */
#ifndef EXPOSE_OPTS_H
#define EXPOSE_OPTS_H

#include <stddef.h>
#include "expose.h"

typedef struct expose_run_opts {
    expose_params params;
    char  format[8];   /* "text", "json", "dot" or "svg" */
    char *out;         /* g_malloc'ed; NULL: standard output */
    char *graph;       /* g_malloc'ed; NULL: no rule graph; .dot: Graphviz source, else SVG */
    char *filter;      /* g_malloc'ed; NULL: every frame */
} expose_run_opts;

/* Start from the preferences (expose_prefs_apply) and apply LIST, a
 * comma-separated option list without the leading "expose" (NULL or "" for
 * none).  Returns 0, or -1 with a message naming the option in err. */
int  expose_opts_parse(expose_run_opts *o, const char *list, char *err, size_t errlen);
void expose_opts_clear(expose_run_opts *o);

/* "-z expose[,options]" -> the options, or NULL when ARG is another
 * statistic that merely starts with "expose" (tshark matches prefixes). */
const char *expose_opts_from_z(const char *arg);

/* The help text listing every option, one per line. */
void expose_opts_print_help(FILE *out);

#endif /* EXPOSE_OPTS_H */
