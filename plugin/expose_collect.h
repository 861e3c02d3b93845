/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_collect.h -- turns Wireshark tap events into expose_records.
 *
 * A collector owns one mining engine and a set of five tap listeners
 * (ip, ipv6, tcp, udp, frame).  It exists only while a result is wanted:
 * registering listeners forces every packet to be dissected, so nothing is
 * registered at start-up.
 */
#ifndef EXPOSE_COLLECT_H
#define EXPOSE_COLLECT_H

#include <stddef.h>
#include "expose.h"

typedef struct expose_collector expose_collector;

/* Called from the frame listener's draw and finish callbacks: Wireshark
 * draws the taps when a capture or retap ends (tshark: once, at the end),
 * and "finishes" a listener when it is removed (tshark: at exit). */
typedef struct expose_collector_hooks {
    void (*draw)(void *data);
    void (*finish)(void *data);
    void *data;
} expose_collector_hooks;

/* A collector mining with parameters P; the filter (NULL or "" for none)
 * narrows the frames handed to the engine.  Returns NULL with a message in
 * err when the engine cannot be made or a listener cannot be registered
 * (a bad display filter, for instance). */
expose_collector *expose_collector_start(const expose_params *p, const char *filter,
                                         const expose_collector_hooks *hooks,
                                         char *err, size_t errlen);

/* Removes the listeners and frees the engine. */
void expose_collector_stop(expose_collector *c);

/* The engine fed so far, or NULL after a failure that ended the run. */
expose_engine *expose_collector_engine(expose_collector *c);

/* "" when the run is healthy, otherwise why it ended. */
const char *expose_collector_error(const expose_collector *c);

/* Frames seen by the frame listener (mined or skipped) in the current pass. */
unsigned long expose_collector_frames(const expose_collector *c);

/* Passes over the packets so far (each reset or restart makes a new engine). */
unsigned long expose_collector_passes(const expose_collector *c);

#endif /* EXPOSE_COLLECT_H */
