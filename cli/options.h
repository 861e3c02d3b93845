/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * options.h -- the expose command line.
 */
#ifndef EXPOSE_CLI_OPTIONS_H
#define EXPOSE_CLI_OPTIONS_H

#include "expose.h"

/* Exit codes of the expose program. */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct cli_options {
    expose_params params;
    const char   *file;          /* the capture; "-" is standard input */
    const char   *output;        /* --output: report file, NULL for stdout */
    const char   *graph;         /* --graph: Graphviz file, or NULL */
    const char   *graph_format;  /* "svg" or "dot", from graph's extension */
    int           json;          /* --json */
    int           quiet;         /* --quiet: no summary line on stderr */
} cli_options;

typedef enum options_outcome {
    OPTIONS_RUN,                 /* o is complete: go and mine */
    OPTIONS_DONE,                /* --help or --version was printed: exit 0 */
    OPTIONS_BAD,                 /* a message was printed on stderr: exit 2 */
} options_outcome;

options_outcome options_parse(int argc, char **argv, cli_options *o);

#endif /* EXPOSE_CLI_OPTIONS_H */
