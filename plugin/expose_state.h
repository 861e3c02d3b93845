/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_state.h -- eXpose runs inside Wireshark: the C API of the plugin.
 *
 * A session is one run: its options, a collector (tap listeners plus the
 * mining engine) and the last mined result.  tshark's "-z expose" makes a
 * session that writes its report when tshark draws the taps; the GUI (the
 * Lua module luaopen_expose, to come) drives the one "plugin session"
 * through expose_plugin_*:
 *
 *     expose_plugin_run("window=1,k=500,filter=ip.addr==10.0.0.0/8", err, n);
 *     retap_packets();                          -- from Lua
 *     expose_plugin_mine(err, n);
 *     char *json = expose_plugin_json();        -- g_free() it
 *     expose_plugin_stop();                     -- listeners off again
 *
 * None of these are for the per-packet path; all run on Wireshark's main
 * thread, like every tap callback.
 */
#ifndef EXPOSE_STATE_H
#define EXPOSE_STATE_H

#include <stddef.h>
#include "expose.h"
#include "expose_opts.h"

/* Exported from expose.so so that a separately built Lua C module can
 * link against it; everything else in the plugin is hidden. */
#define EXPOSE_PLUGIN_API __attribute__((visibility("default")))

typedef struct expose_session expose_session;

/* Parse OPTIONS (see expose_opts.h), create the engine and register the
 * listeners.  report_on_draw: write the report (per format=/out=) when
 * Wireshark draws the taps, as tshark does when the capture ends.
 * Returns NULL with a message in err. */
EXPOSE_PLUGIN_API expose_session *expose_session_start(const char *options, int report_on_draw,
                                                       char *err, size_t errlen);
/* Remove the listeners, free everything. */
EXPOSE_PLUGIN_API void expose_session_stop(expose_session *s);

/* Mine what the listeners collected; the result stays owned by the
 * session until the next mine or stop.  NULL with a message in err. */
EXPOSE_PLUGIN_API const expose_result *expose_session_mine(expose_session *s, char *err,
                                                           size_t errlen);
EXPOSE_PLUGIN_API const expose_result *expose_session_result(const expose_session *s);
EXPOSE_PLUGIN_API const expose_run_opts *expose_session_opts(const expose_session *s);

/* The last result as a report in FORMAT ("text", "json", "dot"),
 * g_malloc'ed; NULL when nothing was mined yet or writing failed. */
EXPOSE_PLUGIN_API char *expose_session_report(const expose_session *s, const char *format);

/* Write the last result where the options say (out= atomically, or
 * standard output).  Returns 0, or -1 with a message in err. */
EXPOSE_PLUGIN_API int expose_session_write(const expose_session *s, char *err, size_t errlen);

/* ---- the single GUI session ---- */
EXPOSE_PLUGIN_API int  expose_plugin_run(const char *options, char *err, size_t errlen);
EXPOSE_PLUGIN_API int  expose_plugin_mine(char *err, size_t errlen);
EXPOSE_PLUGIN_API const expose_result *expose_plugin_result(void);
EXPOSE_PLUGIN_API char *expose_plugin_json(void);
EXPOSE_PLUGIN_API void expose_plugin_stop(void);

/* ---- used by the plugin's registration code ---- */

/* tshark's "-z expose..." callback. */
void expose_state_z_init(const char *arg, void *userdata);

#endif /* EXPOSE_STATE_H */
