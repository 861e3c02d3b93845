/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fuzz_options.c -- libFuzzer target for the option parsers.
 *
 * The input is split at NUL bytes into words (at most MAX_WORDS), which go
 *   1. in pairs to expose_params_set (name, value);
 *   2. as argv[1..] to the CLI's options_parse (getopt_long);
 *   3. with FUZZ_PLUGIN_OPTS, the first word to the plugin's -z parser
 *      (plugin/expose_opts.c: expose_opts_from_z and expose_opts_parse),
 *      which needs only GLib: the preferences it starts from are stubbed
 *      with the core's defaults.
 * Whatever a parser accepts must be in the documented range.
 */
#define _GNU_SOURCE /* getopt's optind reset */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "options.h"
#ifdef FUZZ_PLUGIN_OPTS
#include "expose_opts.h"
#include "expose_prefs.h"
#endif

#define MAX_WORDS 64

/* Every accepted parameter set stays in the ranges expose.h documents. */
static void check_params(const expose_params *p)
{
    FUZZ_CHECK(p->window >= 0.001 && p->window <= 3600);
    FUZZ_CHECK(p->k >= 1 && p->k <= 10000000);
    FUZZ_CHECK(p->alpha >= 0 && p->alpha <= 10);
    FUZZ_CHECK(p->beta <= 1000000);
    FUZZ_CHECK(p->idle >= 0 && p->idle <= 86400);
    FUZZ_CHECK(p->max_present > 0 && p->max_present <= 1);
    FUZZ_CHECK(p->ratio >= 1 && p->ratio <= 1e9);
    FUZZ_CHECK(p->min_windows >= 2 && p->min_windows <= 1000000);
    FUZZ_CHECK(p->min_joint >= 1);
    FUZZ_CHECK(p->profile_interval >= 1 && p->profile_interval <= 31536000);
    FUZZ_CHECK(p->profile_aging >= 1 && p->profile_aging <= 315360000);
    FUZZ_CHECK(p->scan_ports >= 2 && p->scan_ports <= 65536);
    FUZZ_CHECK(p->scan_hosts >= 2);
    FUZZ_CHECK(p->max_conns >= 16 && p->max_conns <= 1000000000u);
    FUZZ_CHECK(p->max_events >= 16 && p->max_events <= 4000000000u);
}

static int same_params(const expose_params *a, const expose_params *b)
{
    return a->window == b->window && a->k == b->k && a->alpha == b->alpha &&
           a->beta == b->beta && a->learn_ports == b->learn_ports && a->idle == b->idle &&
           a->max_present == b->max_present && a->ratio == b->ratio &&
           a->min_windows == b->min_windows && a->min_joint == b->min_joint &&
           a->profile_interval == b->profile_interval &&
           a->profile_aging == b->profile_aging && a->scan_ports == b->scan_ports &&
           a->scan_hosts == b->scan_hosts && a->max_conns == b->max_conns &&
           a->max_events == b->max_events;
}

#ifdef FUZZ_PLUGIN_OPTS
/* The plugin reads its preferences from epan; here they are the defaults. */
int expose_prefs_apply(expose_params *p, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    expose_params_default(p);
    return 0;
}

static void fuzz_plugin_opts(const char *word)
{
    char err[256] = "";
    expose_run_opts o;
    const char *list = expose_opts_from_z(word);
    if (list == NULL)
        list = word;        /* not "expose[,...]": parse it as the list itself */
    if (expose_opts_parse(&o, list, err, sizeof err) == 0) {
        check_params(&o.params);
        FUZZ_CHECK(!strcmp(o.format, "text") || !strcmp(o.format, "json") ||
                   !strcmp(o.format, "dot") || !strcmp(o.format, "svg"));
        FUZZ_CHECK(o.out == NULL || o.out[0] != '\0');
        FUZZ_CHECK(o.filter == NULL || o.filter[0] != '\0');
        expose_opts_clear(&o);
    } else {
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(o.out == NULL && o.filter == NULL);  /* nothing leaks on failure */
    }
}
#endif

static void fuzz_params_set(char **words, int n)
{
    expose_params p;
    expose_params_default(&p);
    expose_params_set(&p, NULL, "1");
    for (int i = 0; i + 1 < n; i += 2) {
        expose_params before = p;
        const char *msg = expose_params_set(&p, words[i], words[i + 1]);
        if (msg) {
            FUZZ_CHECK(msg[0] != '\0');
            FUZZ_CHECK(same_params(&before, &p));  /* a refusal changes nothing */
        }
        check_params(&p);
    }
}

static void fuzz_cli_options(char **words, int n)
{
    char *argv[MAX_WORDS + 2];
    argv[0] = "expose";
    for (int i = 0; i < n; i++)
        argv[i + 1] = words[i];
    argv[n + 1] = NULL;

    /* --help prints pages and errors print lines: send them to /dev/null,
     * while fd 2 stays open for the sanitizers' reports. */
    FILE *out = stdout, *err = stderr;
    stdout = stderr = fuzz_sink();
    optind = 0;                         /* glibc: start getopt afresh */
    cli_options o;
    options_outcome oc = options_parse(n + 1, argv, &o);
    stdout = out;
    stderr = err;

    FUZZ_CHECK(oc == OPTIONS_RUN || oc == OPTIONS_DONE || oc == OPTIONS_BAD);
    if (oc == OPTIONS_RUN) {
        FUZZ_CHECK(o.file != NULL);
        FUZZ_CHECK(o.graph == NULL || o.graph_format != NULL);
        check_params(&o.params);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    /* A private, NUL-terminated copy: getopt permutes argv. */
    char *buf = malloc(size + 1);
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, data, size);
    buf[size] = '\0';

    char *words[MAX_WORDS];
    int n = 0;
    for (size_t i = 0; i <= size && n < MAX_WORDS;) {
        words[n++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    if (n > 0 && size > 0 && buf[size - 1] == '\0')
        n--;                            /* a trailing NUL ends the last word */

    fuzz_params_set(words, n);
    fuzz_cli_options(words, n);
#ifdef FUZZ_PLUGIN_OPTS
    fuzz_plugin_opts(buf);
#endif
    free(buf);
    return 0;
}
