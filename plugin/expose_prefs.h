/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_prefs.h -- Edit > Preferences > Protocols > eXpose.
 *
 * The preferences are the defaults of every run; the options of a run
 * ("-z expose,window=2", the GUI's dialog) override them for that run.
 */
#ifndef EXPOSE_PREFS_H
#define EXPOSE_PREFS_H

#include <stddef.h>
#include "expose.h"

/* Called once from the protocol's registration routine. */
void expose_prefs_register(int proto);

/* Copy the preferences into P (on top of the core's defaults).  Returns 0,
 * or -1 with a message naming the preference in err: preferences are
 * validated here, by the core's own rules, because Wireshark 4.0 has no
 * floating-point preference type and stores them as strings. */
int expose_prefs_apply(expose_params *p, char *err, size_t errlen);

#endif /* EXPOSE_PREFS_H */
