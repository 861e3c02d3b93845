/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_state.c -- sessions: options + collector + last result.
 */
#define _POSIX_C_SOURCE 200809L   /* open_memstream */
#include <wireshark.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expose_collect.h"
#include "expose_state.h"

struct expose_session {
    expose_run_opts   opts;
    expose_collector *col;
    expose_result    *result;
    gboolean          report_on_draw;
    gboolean          reported;
    unsigned long     reported_frames, reported_pass;  /* what the report covered */
};

/* tshark: set when a "-z expose" run failed, so that the process exits
 * with a non-zero status once tshark has finished its own work. */
static gboolean z_failed;

static void on_draw(void *data);
static void on_finish(void *data);

expose_session *expose_session_start(const char *options, int report_on_draw,
                                     char *err, size_t errlen)
{
    expose_session *s = g_new0(expose_session, 1);
    expose_collector_hooks hooks = { on_draw, on_finish, s };

    if (expose_opts_parse(&s->opts, options, err, errlen) < 0) {
        g_free(s);
        return NULL;
    }
    s->report_on_draw = report_on_draw != 0;
    s->col = expose_collector_start(&s->opts.params, s->opts.filter, &hooks, err, errlen);
    if (s->col == NULL) {
        expose_opts_clear(&s->opts);
        g_free(s);
        return NULL;
    }
    return s;
}

void expose_session_stop(expose_session *s)
{
    if (s == NULL)
        return;
    expose_collector_stop(s->col);
    expose_result_free(s->result);
    expose_opts_clear(&s->opts);
    g_free(s);
}

const expose_result *expose_session_mine(expose_session *s, char *err, size_t errlen)
{
    expose_engine *e = expose_collector_engine(s->col);

    expose_result_free(s->result);
    s->result = NULL;
    if (e == NULL) {          /* the engine gave up while reading */
        g_strlcpy(err, expose_collector_error(s->col), errlen);
        return NULL;
    }
    s->result = expose_engine_mine(e);
    if (s->result == NULL)
        g_strlcpy(err, expose_engine_error(e), errlen);
    return s->result;
}

const expose_result *expose_session_result(const expose_session *s)
{
    return s->result;
}

const expose_run_opts *expose_session_opts(const expose_session *s)
{
    return &s->opts;
}

static int write_report(const expose_result *r, const char *format, FILE *out)
{
    if (!strcmp(format, "json"))
        return expose_write_json(r, out);
    if (!strcmp(format, "dot"))
        return expose_write_dot(r, out);
    return expose_write_text(r, out);
}

char *expose_session_report(const expose_session *s, const char *format)
{
    char *buf = NULL;
    size_t len = 0;

    if (s->result == NULL)
        return NULL;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
        return NULL;
    int rc = write_report(s->result, format, mem);
    if (fclose(mem) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    char *copy = g_strndup(buf, len);   /* callers free with g_free */
    free(buf);
    return copy;
}

int expose_session_write(const expose_session *s, char *err, size_t errlen)
{
    if (s->result == NULL) {
        g_strlcpy(err, "nothing mined yet", errlen);
        return -1;
    }
    if (s->opts.out != NULL) {
        if (expose_write_file(s->result, s->opts.format, s->opts.out, err, errlen) < 0)
            return -1;
    } else if (write_report(s->result, s->opts.format, stdout) != 0 || fflush(stdout) != 0) {
        g_snprintf(err, (gulong)errlen, "writing the report failed: %s", g_strerror(errno));
        return -1;
    }
    if (s->opts.graph != NULL) {
        /* The rule graph beside the report, as the CLI's --graph does. */
        const char *fmt = g_str_has_suffix(s->opts.graph, ".dot") ? "dot" : "svg";
        if (expose_write_file(s->result, fmt, s->opts.graph, err, errlen) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------ tshark's -z expose */

/* Write the report of what was collected, or say why there is none. */
static void report(expose_session *s)
{
    char err[512];

    s->reported = TRUE;
    s->reported_frames = expose_collector_frames(s->col);
    s->reported_pass = expose_collector_passes(s->col);
    if (expose_session_mine(s, err, sizeof err) == NULL ||
        expose_session_write(s, err, sizeof err) < 0) {
        fflush(stdout);
        fprintf(stderr, "expose: %s\n", err);
        z_failed = TRUE;
        return;
    }
    /* Ingest stopped early (time jumped back): the report covers the part
     * before, says so itself, and the run still fails, as the CLI's does. */
    const char *stop = expose_collector_error(s->col);
    if (stop[0] != '\0') {
        fflush(stdout);
        fprintf(stderr, "expose: %s\n", stop);
        z_failed = TRUE;
    }
}

/* Wireshark draws the taps when reading ends: tshark once, after the last
 * packet or when a live capture stops.  Wireshark may also draw a freshly
 * registered listener before any packet arrives; a draw with nothing new
 * since the last report is that, or a repeat, and is ignored. */
static void on_draw(void *data)
{
    expose_session *s = (expose_session *)data;
    unsigned long frames = expose_collector_frames(s->col);

    if (!s->report_on_draw || frames == 0)
        return;
    if (s->reported && s->reported_frames == frames &&
        s->reported_pass == expose_collector_passes(s->col))
        return;
    report(s);
}

/* tshark removes its listeners while shutting down, after it has drawn
 * every tap and closed its files.  A run that never reported (no frame at
 * all) says so now; a failed report must show in the exit status, which
 * tshark 4.0 gives no way to set: exit here. */
static void on_finish(void *data)
{
    expose_session *s = (expose_session *)data;

    if (!s->report_on_draw)
        return;
    if (!s->reported)
        report(s);
    if (z_failed) {
        fflush(stdout);
        exit(2);
    }
}

void expose_state_z_init(const char *arg, void *userdata _U_)
{
    const char *options = expose_opts_from_z(arg);
    char err[512];

    if (options == NULL) {
        fprintf(stderr, "tshark: invalid -z argument \"%s\"; did you mean -z expose,...?\n", arg);
        exit(1);
    }
    /* Wireshark also accepts -z, but starts such statistics only after it
     * has read the file, so they would see no packet; its menu is the way
     * there.  (tshark names itself "tshark", Wireshark "wireshark".) */
    if (g_strcmp0(g_get_prgname(), "tshark") != 0) {
        fprintf(stderr, "expose: -z expose is a tshark option; in %s use the eXpose menu\n",
                g_get_prgname() ? g_get_prgname() : "this program");
        return;
    }
    if (!strcmp(options, "help")) {
        expose_opts_print_help(stdout);
        exit(0);
    }
    /* The session lives until tshark exits. */
    if (expose_session_start(options, TRUE, err, sizeof err) == NULL) {
        /* tshark 4.0's -z callbacks cannot report failure; tshark's own
         * statistics print their error and exit(1) the same way. */
        fprintf(stderr, "tshark: -z expose: %s\n(-z expose,help lists the options)\n", err);
        exit(1);
    }
}

/* ------------------------------------------------ the GUI's session */

static expose_session *gui;

int expose_plugin_run(const char *options, char *err, size_t errlen)
{
    expose_plugin_stop();
    gui = expose_session_start(options, FALSE, err, errlen);
    return gui != NULL ? 0 : -1;
}

int expose_plugin_mine(char *err, size_t errlen)
{
    if (gui == NULL) {
        g_strlcpy(err, "no eXpose run is active (call expose_plugin_run first)", errlen);
        return -1;
    }
    return expose_session_mine(gui, err, errlen) != NULL ? 0 : -1;
}

const expose_result *expose_plugin_result(void)
{
    return gui != NULL ? expose_session_result(gui) : NULL;
}

char *expose_plugin_json(void)
{
    return gui != NULL ? expose_session_report(gui, "json") : NULL;
}

void expose_plugin_stop(void)
{
    expose_session_stop(gui);
    gui = NULL;
}
